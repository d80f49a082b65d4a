/** The public shapes of `generate()`: its options, its result, and what it asks and reports along the way. */

/** A rename the user decided on the command line (`--rename users.name=full_name`, `--rename-table old=new`). */
export type RenameFlag =
  | { kind: 'column'; table: string; from: string; to: string }
  | { kind: 'table'; from: string; to: string }

/**
 * A new table or column that might be a renamed one: the generator never guesses. `candidates` are the
 * dropped tables (or dropped columns of the same table) it could have been renamed from, each with the flag
 * that says so on the command line.
 */
export type RenameAmbiguity =
  | { repo: string; kind: 'table'; name: string; candidates: RenameCandidate[] }
  | { repo: string; kind: 'column'; table: string; name: string; candidates: RenameCandidate[] }

export interface RenameCandidate {
  /** The dropped table or column the new one may have been renamed from. */
  from: string
  /** The command-line flag that resolves the ambiguity as this rename. */
  flag: string
}

/** The answer to one ambiguity: a rename of one of its candidates, or a new entity (the old one is dropped). */
export type RenameDecision = { action: 'rename'; from: string } | { action: 'create' }

/** A change that can lose data or make the migration fail on existing rows. Listed, never blocking. */
export interface DestructiveWarning {
  kind:
    | 'drop_table'
    | 'drop_column'
    | 'type_change'
    | 'not_null'
    | 'add_not_null_column'
    | 'strict'
    | 'data_loss'
    /** A plain column becomes generated: its stored values are replaced by computed ones. */
    | 'becomes_generated'
    /** The down migration cannot restore a dropped NOT NULL column without a default on a table with rows. */
    | 'irreversible_drop'
  table: string
  /** The column concerned, or null for a whole table. */
  column: string | null
  /** One readable sentence naming the table (and column) and the consequence. */
  message: string
}

/** Progress of a run, for a CLI spinner or logs. */
export type GeneratorEvent =
  | { type: 'repo_unchanged'; repo: string }
  | { type: 'repo_changed'; repo: string; tables: string[] }
  | { type: 'migration_planned'; repo: string; folder: string; up: number; down: number }
  | { type: 'snapshots_only'; repo: string; tables: string[] }
  | { type: 'files_removed'; count: number }
  /**
   * A run interrupted earlier (killed, power loss) was found in the staging folder: `completed` means it had
   * committed and its files were put in place only now; `discarded` means it had not, and nothing of it stays.
   */
  | { type: 'recovered'; outcome: 'completed' | 'discarded' }
  | { type: 'files_written'; count: number }

export interface GenerateOptions {
  /** Folder suffix. Default `migrate_resources<N>`, N = number of existing migrations of the repo + 1. */
  name?: string | undefined
  /** Limit the run to these repos. */
  repo?: readonly string[] | undefined
  /** Renames decided on the command line. */
  renames?: readonly RenameFlag[] | undefined
  /** Answer every ambiguity with "create": the old table or column is dropped. */
  noRenames?: boolean | undefined
  /** Keep columns removed from the resources in the database (AshPostgres semantics). */
  dontDropColumns?: boolean | undefined
  /** Compute only, write nothing (the CLI exits 1 when `changed`). */
  check?: boolean | undefined
  /** Compute only, write nothing; `files` holds every file that would be written. */
  dryRun?: boolean | undefined
  /**
   * Asked once per ambiguity (the CLI prompts on a TTY). Without it, an ambiguity throws
   * `RenameAmbiguityError` listing every ambiguity with the flag that resolves it, and nothing is written.
   */
  resolveAmbiguity?: ((ambiguity: RenameAmbiguity) => Promise<RenameDecision>) | undefined
  /** Clock for the migration timestamp (tests). */
  now?: Date | undefined
  onEvent?: ((event: GeneratorEvent) => void) | undefined
}

export interface GeneratedMigration {
  /** Folder name, `<YYYYMMDDHHMMSS>_<name>`. */
  folder: string
  /** Absolute folder path. */
  dir: string
  /** Statements of migration.sql. */
  up: string[]
  /** Statements of down.sql. */
  down: string[]
}

export interface RepoGenerateResult {
  repo: string
  /** The migration written for the repo, or null when its database needs no change. */
  migration: GeneratedMigration | null
  /** Absolute paths of the resource snapshots written for the repo. */
  snapshotFiles: string[]
  /** Tables whose state changed (created, altered, renamed or dropped), sorted. */
  changedTables: string[]
  warnings: DestructiveWarning[]
}

export interface GeneratedFile {
  /** Absolute path. */
  path: string
  contents: string
}

export interface GenerateResult {
  /** One entry per selected repo, in the config's order. */
  repos: RepoGenerateResult[]
  /** Every file written (or that would be written with `check` / `dryRun`). */
  files: GeneratedFile[]
  /**
   * Absolute paths deleted (or that would be) because regen or rebase replaces them, the existing ones only,
   * per repo in the config's order: migration folders, then snapshot files, except that a table's snapshot
   * folder left empty is listed (and deleted) as the folder itself. Always empty for `generate`.
   */
  removed: string[]
  /** True when any file was (or would be) written; deletions alone do not count. */
  changed: boolean
}
