import { AshSqliteError } from '../errors.js'

/**
 * What kind of failure a DatabaseError is, when it is one the migrator recognises:
 * - `unreachable`: nothing answered at the URL (connection refused, unknown host, reset, timeout);
 * - `unauthorized`: the server refused the credentials (HTTP 401/403, invalid JWT);
 * - `not_found`: the server has no such database (HTTP 404: a namespace that was never created);
 * - `not_a_database`: the file exists but is not a SQLite database (SQLITE_NOTADB);
 * - `is_directory`: a `file:` URL names a directory;
 * - `admin_failed`: sqld's admin API refused to create or delete a namespace.
 */
export type DatabaseFailureReason =
  | 'unreachable'
  | 'unauthorized'
  | 'not_found'
  | 'not_a_database'
  | 'is_directory'
  | 'admin_failed'

/** A database could not be opened or queried (outside a migration's own statements). */
export class DatabaseError extends AshSqliteError {
  override name = 'DatabaseError'
  /** Set when the failure is one of the recognised kinds; undefined for anything else. */
  readonly reason: DatabaseFailureReason | undefined
  constructor(message: string, options: { cause?: unknown; reason?: DatabaseFailureReason } = {}) {
    super('database_error', message, options)
    this.reason = options.reason
  }
}

/**
 * sqld rolled a write transaction back because it outlived the server's transaction timeout (5 s by
 * default) while another writer waited, and it kept happening until the lock timeout ran out.
 */
export class WriteLockLostError extends AshSqliteError {
  override name = 'WriteLockLostError'
  readonly attempts: number
  constructor(database: string, attempts: number, options: { cause?: unknown } = {}) {
    super(
      'write_lock_lost',
      `The server took the write lock of ${database} away ${attempts} time(s): a transaction older than its transaction timeout (5 s by default) loses the lock to a waiting writer and is rolled back. Nothing of it was kept.\n  Rerun when fewer writers compete, or raise the server's transaction timeout (sqld: the namespace's txn_timeout_s).`,
      options,
    )
    this.attempts = attempts
  }
}

/** Another process held the database's write lock for longer than the lock timeout. */
export class LockTimeoutError extends AshSqliteError {
  override name = 'LockTimeoutError'
  readonly timeoutMs: number
  constructor(database: string, timeoutMs: number, options: { cause?: unknown } = {}) {
    super(
      'lock_timeout',
      `Timed out after ${timeoutMs} ms waiting for the lock of ${database}: another process is writing to it (a long migration?).\n  Retry when it is done, or wait longer: --lock-timeout SECONDS (lockTimeoutMs in the API).`,
      options,
    )
    this.timeoutMs = timeoutMs
  }
}

/** A fleet repo's `databases()` threw or returned something unusable. */
export class DatabaseListError extends AshSqliteError {
  override name = 'DatabaseListError'
  readonly repo: string
  constructor(repo: string, message: string, options: { cause?: unknown } = {}) {
    super('database_list_failed', message, options)
    this.repo = repo
  }
}

/**
 * A statement of a `batch()` failed: `index` is its position in the batch, `cause` libSQL's error (redacted).
 * Internal: the migrator turns it into a MigrationFailedError naming the statement of the migration file.
 */
export class StatementBatchError extends Error {
  override name = 'StatementBatchError'
  readonly index: number
  constructor(index: number, message: string, cause: unknown) {
    super(message, { cause })
    this.index = index
  }
}
