import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { DatabaseTarget } from '@ash-sqlite/resource'
import type { ResolvedConfig, ResolvedRepo } from '../config/resolved-config.js'

/** A fresh directory under the OS temp dir; `remove()` deletes it. */
export interface TempDir {
  readonly path: string
  remove(): Promise<void>
}

export async function createTempDir(prefix = 'ash-sqlite-test-'): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), prefix))
  return { path, remove: () => rm(path, { recursive: true, force: true }) }
}

/** Statements joined the way drizzle-kit writes them. */
export function joinStatements(statements: readonly string[]): string {
  return statements.join('\n--> statement-breakpoint\n')
}

export interface MigrationFiles {
  /** migration.sql: statements (joined with breakpoints) or the raw file text. */
  readonly up: readonly string[] | string
  /** down.sql the same way; null writes no down.sql. Default: no down.sql. */
  readonly down?: readonly string[] | string | null
}

/** Writes `<repoMigrationsDir>/<name>/migration.sql` (+ down.sql). Returns the folder path. */
export async function writeMigration(repoMigrationsDir: string, name: string, files: MigrationFiles): Promise<string> {
  const folder = join(repoMigrationsDir, name)
  await mkdir(folder, { recursive: true })
  await writeFile(join(folder, 'migration.sql'), asText(files.up))
  if (files.down !== undefined && files.down !== null) await writeFile(join(folder, 'down.sql'), asText(files.down))
  return folder
}

function asText(sql: readonly string[] | string): string {
  return typeof sql === 'string' ? sql : joinStatements(sql)
}

export interface RepoSpec {
  readonly name: string
  /** One database by URL ... */
  readonly url?: string
  readonly authToken?: string
  /** ... or a fleet. */
  readonly databases?: () => Promise<DatabaseTarget[]> | DatabaseTarget[]
}

/**
 * A ResolvedConfig built by hand (repos sorted by name, as loadConfig sorts them), rooted at `root`: migrations in `<root>/migrations/<repo>`, snapshots in
 * `<root>/resource_snapshots/<repo>`, relative file: URLs resolved against `root`.
 */
export function buildConfig(root: string, repos: readonly RepoSpec[]): ResolvedConfig {
  const migrationsDir = join(root, 'migrations')
  const snapshotsDir = join(root, 'resource_snapshots')
  const sorted = [...repos].sort((left, right) => (left.name < right.name ? -1 : left.name > right.name ? 1 : 0))
  const resolved = sorted.map(
    (spec): ResolvedRepo => ({
      name: spec.name,
      repo:
        spec.databases === undefined
          ? { kind: 'repo', name: spec.name, url: spec.url ?? `file:${spec.name}.db`, authToken: spec.authToken }
          : { kind: 'repo', name: spec.name, databases: spec.databases },
      tables: [],
      renames: { tables: {}, columns: {} },
      migrationsDir: join(migrationsDir, spec.name),
      snapshotsDir: join(snapshotsDir, spec.name),
    }),
  )
  return { cwd: root, configFile: null, migrationsDir, snapshotsDir, repos: resolved }
}

/** The common case: one repo `main` with its database at `<root>/main.db`. */
export function singleRepoConfig(root: string, url = `file:${join(root, 'main.db')}`): ResolvedConfig {
  return buildConfig(root, [{ name: 'main', url }])
}
