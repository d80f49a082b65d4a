import { AshSqliteError } from '../errors.js'

/** A database could not be opened or queried (outside a migration's own statements). */
export class DatabaseError extends AshSqliteError {
  override name = 'DatabaseError'
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('database_error', message, options)
  }
}

/** Another process held the database's write lock for longer than the lock timeout. */
export class LockTimeoutError extends AshSqliteError {
  override name = 'LockTimeoutError'
  readonly timeoutMs: number
  constructor(database: string, timeoutMs: number, options: { cause?: unknown } = {}) {
    super(
      'lock_timeout',
      `Timed out after ${timeoutMs} ms waiting for the write lock of ${database}: another process is writing to it (a long migration?). Retry when it is done, or raise lockTimeoutMs.`,
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
