/** A throwaway project folder and the resolved config `generate` works on. */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative, sep } from 'node:path'
import type { TableState } from '@ash-sqlite/resource'
import type { ResolvedConfig, ResolvedRepo } from '../../config/resolved-config.js'

export interface TestProject {
  readonly cwd: string
  /** The config for these repos (name -> tables), optionally with declared renames per repo. */
  config(
    repos: Record<string, readonly TableState[]>,
    renames?: Record<string, ResolvedRepo['renames']>,
  ): ResolvedConfig
  /** Every file under the project (relative posix path -> contents), staging and lock files included. */
  files(): Promise<Record<string, string>>
  remove(): Promise<void>
}

export async function createTestProject(): Promise<TestProject> {
  const cwd = await mkdtemp(join(tmpdir(), 'ash-sqlite-generate-'))
  const migrationsDir = join(cwd, 'migrations')
  const snapshotsDir = join(cwd, 'resource_snapshots')
  return {
    cwd,
    config(repos, renames = {}) {
      const resolved: ResolvedRepo[] = Object.entries(repos).map(([name, tables]) => ({
        name,
        repo: { kind: 'repo', name, url: `file:${name}.db` },
        tables: [...tables].map((state) => ({ ...state, repo: name })).sort((a, b) => (a.table < b.table ? -1 : 1)),
        renames: renames[name] ?? { tables: {}, columns: {} },
        migrationsDir: join(migrationsDir, name),
        snapshotsDir: join(snapshotsDir, name),
      }))
      return { cwd, configFile: null, migrationsDir, snapshotsDir, repos: resolved }
    },
    async files() {
      const result: Record<string, string> = {}
      for (const entry of await readdir(cwd, { recursive: true, withFileTypes: true })) {
        if (!entry.isFile()) continue
        const path = join(entry.parentPath, entry.name)
        result[relative(cwd, path).split(sep).join('/')] = await readFile(path, 'utf8')
      }
      return result
    },
    remove: () => rm(cwd, { recursive: true, force: true }),
  }
}
