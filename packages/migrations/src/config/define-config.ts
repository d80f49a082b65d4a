import type { Domain } from '@ash-sqlite/resource'

/** What `ash-sqlite.config.ts` exports by default. */
export interface AshSqliteConfig {
  /** The domains whose resources make up the schema; repos are discovered from the resources. */
  domains: Domain[]
  /** Root of the migration folders, relative to the working directory. Default: `migrations`. */
  migrationsDir?: string | undefined
  /** Root of the resource snapshots, relative to the working directory. Default: `resource_snapshots`. */
  snapshotsDir?: string | undefined
}

export const DEFAULT_MIGRATIONS_DIR = 'migrations'
export const DEFAULT_SNAPSHOTS_DIR = 'resource_snapshots'

/**
 * Types a config file's default export. It returns its argument unchanged: validation happens when the
 * config is loaded, so that a config file never fails at import time for a reason the CLI cannot report.
 */
export function defineConfig(config: AshSqliteConfig): AshSqliteConfig {
  return config
}
