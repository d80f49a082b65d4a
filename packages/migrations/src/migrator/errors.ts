import { DOWN_FILE, MIGRATION_FILE } from '@ash-sqlite/snapshot/layout'
import { AshSqliteError } from '../errors.js'

export type MigrationDirection = 'up' | 'down'

const statementExcerptLength = 200

/** A statement of a migration failed; the migration was rolled back, earlier ones stay applied. */
export interface MigrationFailureDetails {
  readonly migrationName: string
  readonly direction: MigrationDirection
  readonly statementIndex: number
  readonly statementCount: number
  readonly statement: string
  readonly reason: string
  /**
   * Set when the failure ended the whole write transaction (SQLite rolls back everything on a full disk,
   * an I/O error, ...): how many migrations run before it in the same transaction were rolled back with it.
   */
  readonly endedTransaction?: number | undefined
}

/** A statement of a migration failed; the migration was rolled back, earlier ones stay applied. */
export class MigrationFailedError extends AshSqliteError {
  override name = 'MigrationFailedError'
  readonly migrationName: string
  readonly direction: MigrationDirection
  /**
   * 0-based index among the statements of the file (`--> statement-breakpoint` pieces); -1 when an error
   * that ended the whole transaction left no way to tell which statement failed.
   */
  readonly statementIndex: number
  readonly statement: string
  readonly details: MigrationFailureDetails

  constructor(details: MigrationFailureDetails, options: { cause?: unknown } = {}) {
    const file = details.direction === 'up' ? MIGRATION_FILE : DOWN_FILE
    const ended =
      details.endedTransaction === undefined
        ? ''
        : `\n  The error ended the whole transaction: ${details.endedTransaction === 0 ? 'nothing else was' : `the ${details.endedTransaction} migration(s) run before it in the same transaction were`} rolled back with it. Fix the cause (disk space? I/O?) and run the command again.`
    // statementIndex -1: the error ended the transaction before the statement could be named.
    const where =
      details.statementIndex < 0 ? '' : ` at statement ${details.statementIndex + 1} of ${details.statementCount}`
    const statement = details.statementIndex < 0 ? '' : `\n  ${excerpt(details.statement)}`
    super(
      'migration_failed',
      `Migration ${details.migrationName} (${file}) failed${where} and was rolled back: ${details.reason}${statement}${ended}`,
      options,
    )
    this.migrationName = details.migrationName
    this.direction = details.direction
    this.statementIndex = details.statementIndex
    this.statement = details.statement
    this.details = details
  }

  /** The same failure, saying that it ended the transaction and took `lost` earlier migrations with it. */
  endingTransaction(lost: number): MigrationFailedError {
    return new MigrationFailedError({ ...this.details, endedTransaction: lost }, { cause: this.cause })
  }
}

/** One row of `PRAGMA foreign_key_check`: a row of `table` whose reference into `parent` has no match. */
export interface ForeignKeyViolation {
  readonly table: string
  readonly rowid: number | null
  readonly parent: string
  /** Index of the foreign key in the table's definition (`PRAGMA foreign_key_list`). */
  readonly fkid: number
}

const violationsShown = 5

/** A migration left rows whose foreign keys point nowhere; it was rolled back. */
export class ForeignKeyViolationError extends AshSqliteError {
  override name = 'ForeignKeyViolationError'
  readonly migrationName: string
  readonly direction: MigrationDirection
  readonly violations: readonly ForeignKeyViolation[]

  /**
   * `violations`: the rows of the (table, parent) pairs that gained violations; `introduced`: how many
   * violations the migration added (violations present before it do not count).
   */
  constructor(
    migrationName: string,
    direction: MigrationDirection,
    violations: readonly ForeignKeyViolation[],
    introduced: number = violations.length,
  ) {
    const shown = violations.slice(0, violationsShown).map(describeViolation).join('; ')
    const more = violations.length > violationsShown ? ` and ${violations.length - violationsShown} more` : ''
    super(
      'foreign_key_violation',
      `Migration ${migrationName} (${direction}) was rolled back: it would add ${introduced} foreign key violation(s): ${shown}${more}.\n  Fix the data (or the migration) so every reference has a parent row, then run it again.`,
    )
    this.migrationName = migrationName
    this.direction = direction
    this.violations = violations
  }
}

/** Applied migrations whose migration.sql no longer matches the hash recorded when they ran. */
export class ChangedMigrationError extends AshSqliteError {
  override name = 'ChangedMigrationError'
  readonly migrationNames: readonly string[]

  constructor(migrationNames: readonly string[]) {
    super(
      'changed_migration',
      `${migrationNames.length} applied migration(s) changed since they ran: ${migrationNames.join(', ')}.\n  Restore their migration.sql (an applied migration is never re-run), or pass --allow-changed (allowChanged: true) to migrate anyway.`,
    )
    this.migrationNames = migrationNames
  }
}

/** A migration to roll back has no usable down.sql. */
export class MissingDownError extends AshSqliteError {
  override name = 'MissingDownError'
  readonly migrationName: string

  constructor(migrationName: string, reason: 'no_file' | 'empty') {
    const what = reason === 'no_file' ? 'has no down.sql' : 'has an empty down.sql while its migration.sql is not empty'
    super(
      'missing_down',
      `Cannot roll back ${migrationName}: its folder ${what}. Nothing was rolled back.\n  Write the reverting SQL into down.sql (statements separated by --> statement-breakpoint), or roll back fewer migrations.`,
    )
    this.migrationName = migrationName
  }
}

/** A migration to roll back is recorded as applied but its folder is gone. */
export class MissingMigrationError extends AshSqliteError {
  override name = 'MissingMigrationError'
  readonly migrationName: string

  constructor(migrationName: string, migrationsDir: string) {
    super(
      'missing_migration',
      `Cannot roll back ${migrationName}: it is recorded in __drizzle_migrations but its folder is missing from ${migrationsDir}. Nothing was rolled back.\n  Restore the folder (from version control), or roll back fewer migrations.`,
    )
    this.migrationName = migrationName
  }
}

/** `--to VERSION` names no migration folder of the repo. */
export class UnknownVersionError extends AshSqliteError {
  override name = 'UnknownVersionError'
  readonly version: string
  readonly repo: string

  constructor(version: string, repo: string, available: readonly string[]) {
    const recent = available.slice(-5)
    const list = recent.length === 0 ? 'it has no migrations' : `its newest: ${recent.join(', ')}`
    super(
      'unknown_version',
      `--to ${version}: no migration of repo ${repo} is named ${version} or starts with it (${list}). Pass a folder name or its timestamp; use --repo to pick the repo it belongs to.`,
      { exitCode: 2 },
    )
    this.version = version
    this.repo = repo
  }
}

/** `--to VERSION` is a prefix of several migration folders. */
export class AmbiguousVersionError extends AshSqliteError {
  override name = 'AmbiguousVersionError'
  readonly version: string
  readonly repo: string
  readonly candidates: readonly string[]

  constructor(version: string, repo: string, candidates: readonly string[]) {
    super(
      'ambiguous_version',
      `--to ${version} matches ${candidates.length} migrations of repo ${repo}: ${candidates.join(', ')}. Pass the full timestamp or folder name.`,
      { exitCode: 2 },
    )
    this.version = version
    this.repo = repo
    this.candidates = candidates
  }
}

/** `__drizzle_migrations` has a shape or rows the migrator cannot work with. */
export class TrackingTableError extends AshSqliteError {
  override name = 'TrackingTableError'
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('tracking_table_invalid', message, options)
  }
}

function describeViolation(violation: ForeignKeyViolation): string {
  return `${violation.table} rowid ${violation.rowid ?? '(WITHOUT ROWID)'} -> ${violation.parent}`
}

function excerpt(statement: string): string {
  const oneLine = statement.replace(/\s+/g, ' ').trim()
  return oneLine.length > statementExcerptLength ? `${oneLine.slice(0, statementExcerptLength)}…` : oneLine
}

/** A repo's migrations folder exists but cannot be read. */
export class MigrationFilesError extends AshSqliteError {
  override name = 'MigrationFilesError'
  constructor(repo: string, migrationsDir: string, options: { cause?: unknown } = {}) {
    const reason = options.cause instanceof Error ? `: ${options.cause.message}` : ''
    super(
      'migration_files_unreadable',
      `Cannot read the migrations of repo ${repo} in ${migrationsDir}${reason}`,
      options,
    )
  }
}

/** A rollback would undo a squash: its down drops the whole schema, so it is refused. */
export class SquashRollbackError extends AshSqliteError {
  override name = 'SquashRollbackError'
  readonly migrationName: string
  constructor(migrationName: string) {
    super(
      'rollback_past_squash',
      `Refusing to roll back ${migrationName}: it is a squash of earlier migrations, and rolling it back would drop the whole schema it builds.\n  Roll back to ${migrationName} at most (--to ${migrationName.slice(0, 14)}), or restore a database backup.`,
    )
    this.migrationName = migrationName
  }
}

/** A database applied some of a squash's migrations, and the kept copies of the others are gone. */
export class SquashCatchUpError extends AshSqliteError {
  override name = 'SquashCatchUpError'
  constructor(squash: string, lost: readonly string[]) {
    super(
      'squash_catch_up_missing',
      `This database applied only part of the migrations squashed into ${squash}, and ${lost.join(', ')} ${lost.length === 1 ? 'is' : 'are'} no longer kept in ${squash}/squashed/.\n  Restore the squashed folder from version control, then migrate again.`,
    )
  }
}

/** `rollback` on a `file:` database whose file does not exist: there is nothing to undo, and the URL may be wrong. */
export class DatabaseMissingError extends AshSqliteError {
  override name = 'DatabaseMissingError'
  constructor(url: string) {
    super(
      'database_missing',
      `Database ${url} does not exist, so nothing was rolled back. Check the repo's url (relative file: paths start at the config's folder).`,
    )
  }
}

/**
 * `rollback` planned to undo a migration that, by the time it held the write lock, was no longer the newest
 * applied one (another process migrated meanwhile). Undoing it now would undo something older than what
 * the user saw as newest, so the rollback stops there.
 */
export class RollbackPlanChangedError extends AshSqliteError {
  override name = 'RollbackPlanChangedError'
  readonly migrationName: string
  readonly newestApplied: string | undefined

  constructor(migrationName: string, newestApplied: string | undefined) {
    super(
      'rollback_plan_changed',
      `Refusing to roll back ${migrationName}: it was the newest applied migration when rollback planned, but ${newestApplied ?? 'another migration'} was applied since (by another process).\n  Check \`ash-sqlite status\`, then run rollback again if you still want to.`,
    )
    this.migrationName = migrationName
    this.newestApplied = newestApplied
  }
}

/** A migration file contains a statement that would end or nest the migrator's own transaction. */
export const transactionControlReason =
  'transaction control statements (BEGIN, COMMIT, END, ROLLBACK, SAVEPOINT, RELEASE) are not allowed in a migration: the migrator runs each migration atomically inside its own transaction. Remove the statement.'

/**
 * A migration folder has no migration.sql (an interrupted copy, a file lost in a merge): drizzle-orm would
 * skip it silently, and every database would miss it. Reported instead, by migrate, status and generate.
 */
export class MissingMigrationFileError extends AshSqliteError {
  override name = 'MissingMigrationFileError'
  readonly folder: string
  constructor(folder: string) {
    super(
      'migration_file_missing',
      `Migration folder ${folder} has no ${MIGRATION_FILE}, so it cannot be applied. Restore the file from version control (git checkout -- ${folder}), or delete the folder if the migration was never meant to exist.`,
    )
    this.folder = folder
  }
}
