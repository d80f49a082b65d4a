import type { Repo, TableState } from '@ash-sqlite/resource'

/**
 * A config after loading and validation: absolute paths, repos discovered from the domains' resources.
 * Every command and API function works on this shape; `loadConfig()` produces it, and `resolveConfig()`
 * turns a plain `defineConfig({...})` object into it for programmatic use.
 */
export interface ResolvedConfig {
  /** Absolute working directory the relative paths were resolved against. */
  readonly cwd: string
  /** Absolute path of the config file, or null when the config object was passed in directly. */
  readonly configFile: string | null
  /** Absolute root of the migration folders (`<migrationsDir>/<repo>/<ts>_<name>/`). */
  readonly migrationsDir: string
  /** Absolute root of the resource snapshots (`<snapshotsDir>/<repo>/<table>/<ts>.json`). */
  readonly snapshotsDir: string
  /** Every repo used by a resource of the config's domains, sorted by name. */
  readonly repos: readonly ResolvedRepo[]
}

export interface ResolvedRepo {
  readonly name: string
  /** The repo definition (one database by `url`, or a fleet by `databases()`). */
  readonly repo: Repo
  /** Table states of this repo's resources whose `sqlite.migrate` is not false, sorted by table name. */
  readonly tables: readonly TableState[]
  /**
   * Renames the resources declare (`renamedFrom`), new name -> old name: tables by table name, columns by
   * the table's current name. The generator turns them into rename hints; a stale entry (the old name is
   * already gone from the snapshots) is ignored, so `renamedFrom` can stay in the code after the rename.
   */
  readonly renames: {
    readonly tables: Readonly<Record<string, string>>
    readonly columns: Readonly<Record<string, Readonly<Record<string, string>>>>
  }
  /** Absolute `<migrationsDir>/<repo>`. */
  readonly migrationsDir: string
  /** Absolute `<snapshotsDir>/<repo>`. */
  readonly snapshotsDir: string
}
