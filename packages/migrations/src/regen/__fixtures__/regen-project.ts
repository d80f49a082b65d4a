/** A throwaway git project with a `users` resource whose attributes grow version by version. */
import { mkdir, mkdtemp, readdir, readFile, realpath, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative, sep } from 'node:path'
import { attr, defineDomain, defineRepo, defineResource } from '@ash-sqlite/resource'
import { defineConfig } from '../../config/define-config.js'
import { resolveConfig } from '../../config/resolve-config.js'
import type { ResolvedConfig } from '../../config/resolved-config.js'
import { initGitRepo } from '../../test-utils/git-repo.js'
import { queryRows } from '../../test-utils/sqlite-file.js'

/** v1: id, name; v2: + age; v3: + email. */
export type SchemaVersion = 1 | 2 | 3

export interface RegenProject {
  /** The project (config cwd): the work tree's root, or a folder inside it with `subfolder`. */
  readonly dir: string
  /** The config of one repo `main` (database `main.db`) or, with `fleet`, a repo `tenants` of t1.db and t2.db. */
  config(version: SchemaVersion): ResolvedConfig
  /** Every file under migrations/ and resource_snapshots/ (relative posix path -> contents), sorted by path. */
  files(): Promise<Record<string, string>>
  /** Columns of `users` in a database file of the project. */
  columns(database: string): Promise<string[]>
  /** Names recorded in `__drizzle_migrations` of a database file, in order. */
  recorded(database: string): Promise<string[]>
  remove(): Promise<void>
}

export interface RegenProjectOptions {
  fleet?: boolean
  /** Default true: the temp folder is a git work tree. */
  git?: boolean
  /** The project lies in this folder of the work tree (a monorepo app). */
  subfolder?: string
}

export async function createRegenProject(options: RegenProjectOptions = {}): Promise<RegenProject> {
  // Real path: git reports the work tree that way (os.tmpdir() may be a symlink).
  const root = await realpath(await mkdtemp(join(tmpdir(), 'ash-sqlite-regen-test-')))
  const dir = options.subfolder === undefined ? root : join(root, options.subfolder)
  await mkdir(dir, { recursive: true })
  if (options.git !== false) {
    await initGitRepo(root)
    // Databases and the generator's staging folder are not source.
    await writeFile(join(root, '.gitignore'), '*.db\n*.db-*\n.ash-sqlite/\n')
  }
  return {
    dir,
    config: (version) => configOf(dir, version, options.fleet === true),
    files: () => projectFiles(dir),
    async columns(database) {
      const rows = await queryRows(join(dir, database), "SELECT name FROM pragma_table_info('users')")
      return rows.map((row) => String(row.name))
    },
    async recorded(database) {
      const rows = await queryRows(join(dir, database), 'SELECT name FROM __drizzle_migrations ORDER BY id')
      return rows.map((row) => String(row.name))
    },
    remove: () => rm(root, { recursive: true, force: true }),
  }
}

function configOf(dir: string, version: SchemaVersion, fleet: boolean): ResolvedConfig {
  const repo = fleet
    ? defineRepo({
        name: 'tenants',
        databases: async () => [
          { name: 't1', url: 'file:t1.db' },
          { name: 't2', url: 'file:t2.db' },
        ],
      })
    : defineRepo({ name: 'main', url: 'file:main.db' })
  const User = defineResource({
    name: 'User',
    attributes: {
      id: attr.integerPrimaryKey(),
      name: attr.string(),
      ...(version >= 2 ? { age: attr.integer({ default: 0 }) } : {}),
      ...(version >= 3 ? { email: attr.string() } : {}),
    },
    sqlite: { repo, table: 'users' },
  })
  const domain = defineDomain({ name: 'accounts', resources: [User] })
  return resolveConfig(defineConfig({ domains: [domain] }), { cwd: dir })
}

async function projectFiles(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {}
  for (const root of ['migrations', 'resource_snapshots']) {
    const entries = await readdir(join(dir, root), { recursive: true, withFileTypes: true }).catch(() => [])
    for (const entry of entries) {
      if (!entry.isFile()) continue
      const path = join(entry.parentPath, entry.name)
      files[relative(dir, path).split(sep).join('/')] = await readFile(path, 'utf8')
    }
  }
  return Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}
