import { basename, join, relative, resolve } from 'node:path'
import { collectTableStates, type Resource } from '@ash-sqlite/resource'
import { ConfigError } from '../errors.js'
import { type AshSqliteConfig, DEFAULT_MIGRATIONS_DIR, DEFAULT_SNAPSHOTS_DIR } from './define-config.js'
import { compareNames, discoverRepos } from './discover-repos.js'
import type { ResolvedConfig, ResolvedRepo } from './resolved-config.js'
import { validateConfig } from './validate-config.js'

export interface ResolveConfigOptions {
  /** Directory relative paths are resolved against. Default: `process.cwd()`. */
  cwd?: string | undefined
  /** The file the config came from (named in errors), or null/undefined for a config built in code. */
  configFile?: string | null | undefined
}

type RepoRenames = ResolvedRepo['renames']

/**
 * Validates a config object and resolves it for the commands: absolute directories, and the repos its
 * resources use (sorted by name) with their table states and declared renames. Throws a `ConfigError`
 * for an invalid config, and the resource package's `ResourceDefinitionError` for conflicting tables.
 */
export function resolveConfig(config: AshSqliteConfig, options: ResolveConfigOptions = {}): ResolvedConfig {
  const cwd = resolve(options.cwd ?? process.cwd())
  const configFile = options.configFile ? resolve(cwd, options.configFile) : null
  const source = configFile === null ? 'config' : relative(cwd, configFile) || basename(configFile)
  const valid = validateConfig(config, source)
  const migrationsDir = resolve(cwd, valid.migrationsDir ?? DEFAULT_MIGRATIONS_DIR)
  const snapshotsDir = resolve(cwd, valid.snapshotsDir ?? DEFAULT_SNAPSHOTS_DIR)

  const repos = discoverRepos(valid.domains, source).map(({ repo, resources }): ResolvedRepo => {
    assertUsableAsFolderName(repo.name, source)
    const migrated = resources.filter((resource) => resource.migrate)
    return {
      name: repo.name,
      repo,
      tables: collectTableStates(migrated).sort((a, b) => compareNames(a.table, b.table)),
      renames: collectRenames(migrated),
      migrationsDir: join(migrationsDir, repo.name),
      snapshotsDir: join(snapshotsDir, repo.name),
    }
  })
  return { cwd, configFile, migrationsDir, snapshotsDir, repos }
}

/** Declared renames (`renamedFrom`) of the repo's tables, keyed by the new names. */
function collectRenames(resources: readonly Resource[]): RepoRenames {
  const tables: Record<string, string> = {}
  const columns: Record<string, Record<string, string>> = {}
  for (const resource of [...resources].sort((a, b) => compareNames(a.tableName, b.tableName))) {
    if (resource.renames.table !== null) tables[resource.tableName] = resource.renames.table
    const renamedColumns = Object.entries(resource.renames.columns)
    if (renamedColumns.length === 0) continue
    const tableColumns = columns[resource.tableName] ?? {}
    for (const [newName, oldName] of renamedColumns.sort(([a], [b]) => compareNames(a, b))) {
      tableColumns[newName] = oldName
    }
    columns[resource.tableName] = tableColumns
  }
  return { tables, columns }
}

/** Repo names become folder names under the migrations and snapshots directories. */
function assertUsableAsFolderName(name: string, source: string): void {
  if (/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(name)) return
  throw new ConfigError(
    `${source}: repo name ${JSON.stringify(name)} cannot be used as a folder name: ` +
      'use letters, digits, "_", "-" and "." only',
  )
}
