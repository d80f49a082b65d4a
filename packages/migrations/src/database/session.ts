/**
 * One connection-like session per database, through @libsql/client, for `file:` and remote URLs alike.
 *
 * Why it is built this way (see src/test-utils/remote-facts.test.ts for the measured facts):
 * - `client.execute()` keeps no state between calls on remote URLs (each call is its own stream) and a
 *   `file:` client rolls back whatever a pooled connection left open, so a raw `BEGIN` through `execute()`
 *   is no transaction. `client.transaction()` is the only API that keeps one connection/stream.
 * - `PRAGMA foreign_keys` is ignored inside a transaction, and `client.transaction()` begins one at once.
 *   So a write transaction starts as a deferred transaction that is committed straight away, on the same
 *   connection: `COMMIT; PRAGMA foreign_keys=OFF; BEGIN IMMEDIATE`, and ends with
 *   `COMMIT; PRAGMA foreign_keys=<previous>` (or ROLLBACK). This works over file:, http: and ws:.
 * - A `file:` client gets one pooled connection (`concurrency: 1`), so pragmas set through the client
 *   (busy_timeout, restoring foreign_keys after a failure) land on the connection transactions use.
 * - sqld refuses `PRAGMA busy_timeout` (and waits for its write lock on its own), so it is file-only.
 * - sqld takes the write lock away from a transaction older than 5 s when another writer waits, rolling
 *   it back: the transaction is then run again (see lost-write-lock.ts).
 * - Every statement that may meet another process's lock (BEGIN IMMEDIATE, COMMIT, and reads outside a
 *   write transaction while a writer holds the EXCLUSIVE lock) is retried until the lock timeout. SQLite's
 *   own busy handler blocks the event loop while it waits, so it waits in short slices between retries,
 *   and `onLockWait` hears about a wait once it has lasted a second (the CLI shows a line then).
 */
import { statSync } from 'node:fs'
import type { Client, InValue, Row, Transaction } from '@libsql/client'
import { describeDatabaseFailure } from './describe-failure.js'
import { DatabaseError, LockTimeoutError, StatementBatchError, WriteLockLostError } from './errors.js'
import { isWriteLockLost, pauseAfterLostLock, waitForOtherWriter } from './lost-write-lock.js'
import { databaseRedactor, type Redactor, redactError, redactedMessage } from './redact-url.js'
import type { ResolvedDatabase } from './targets.js'

/** A statement with its arguments, for `batch`. */
export interface SqlStatement {
  readonly sql: string
  readonly args?: readonly InValue[] | undefined
}

/** Runs one statement and returns its rows. Errors are libSQL's own, with secrets redacted. */
export interface SqlRunner {
  query(sql: string, args?: readonly InValue[]): Promise<Row[]>
}

/** A write transaction: statements one by one, or several in one call. */
export interface SqlTransaction extends SqlRunner {
  /**
   * Runs the statements in order in one call (one round trip to a server), stopping at the first failure,
   * which is thrown as a StatementBatchError naming its index. Returns each statement's rows.
   */
  batch(statements: readonly (string | SqlStatement)[]): Promise<Row[][]>
  /**
   * Runs a text of several `;`-separated statements without arguments in one call, returning nothing: the
   * cheapest way to run many statements (no prepared statement, no result set per statement). A failure
   * does not say which statement failed.
   */
  executeMultiple(sql: string): Promise<void>
  /**
   * Whether `executeMultiple` is the cheap path: true for `file:` databases. sqld parses a multi-statement
   * text with its own parser, which rejects some statements SQLite accepts, so remote runs use `batch`.
   */
  readonly prefersText: boolean
}

export interface DatabaseSession extends SqlRunner {
  readonly database: ResolvedDatabase
  /** Removes this database's URL secrets from a text. */
  readonly redact: Redactor
  /**
   * Runs `work` in one write transaction (`BEGIN IMMEDIATE`, so it holds the database's write lock from
   * the start) with foreign keys switched off before BEGIN and restored after. Commits when `work`
   * resolves, rolls back when it throws (and rethrows).
   *
   * When a server takes the write lock away and rolls the transaction back (sqld, after 5 s while another
   * writer waits), `work` runs again in a new transaction after a pause, so it must touch nothing but
   * `tx`. During the pause `options.doneElsewhere` is asked whether another writer did the work: its
   * first defined answer becomes the result. Gives up with WriteLockLostError at the lock timeout.
   */
  writeTransaction<T>(work: (tx: SqlTransaction) => Promise<T>, options?: WriteTransactionOptions<T>): Promise<T>
  /**
   * Runs `work` (reads outside any write transaction) again while it fails because another process holds
   * a lock, up to the lock timeout (then LockTimeoutError).
   */
  read<T>(work: (runner: SqlRunner) => Promise<T>): Promise<T>
  close(): void
}

export interface WriteTransactionOptions<T> {
  readonly doneElsewhere?: (() => Promise<T | undefined>) | undefined
}

export interface OpenSessionOptions {
  /** When false, a `file:` database that does not exist yet is left alone and `openSession` returns null. */
  readonly create: boolean
  /** How long to wait for another process's write lock before giving up (default 5 minutes). */
  readonly lockTimeoutMs?: number | undefined
  /** Called once per wait for another process's lock, when it has lasted `lockWaitNoticeMs`. */
  readonly onLockWait?: ((waitedMs: number) => void) | undefined
}

export const defaultLockTimeoutMs = 300_000
/** How long a wait for another process's lock lasts before `onLockWait` hears about it. */
export const lockWaitNoticeMs = 1_000
// SQLite's busy handler blocks the event loop while it waits, so it waits in slices between async retries.
const busySliceMs = 500
const retryPauseMs = 25

export async function openSession(
  database: ResolvedDatabase,
  options: OpenSessionOptions,
): Promise<DatabaseSession | null> {
  const { location } = database
  const redact = databaseRedactor(database)
  if (location.kind === 'file') {
    const kind = fileKind(location.path)
    if (kind === 'directory') throw directoryError(database)
    if (kind === 'absent' && !options.create) return null
  }
  const isFile = location.kind !== 'remote'
  const lockTimeoutMs = options.lockTimeoutMs ?? defaultLockTimeoutMs
  const busyTimeoutMs = Math.min(busySliceMs, lockTimeoutMs)
  // Loaded here, not at the top: a config file imports this package's root for `defineConfig`, and every
  // command that only loads a config (generate, --check) should not pay for the libSQL client and its drivers.
  const { createClient } = await import('@libsql/client')
  let client: Client
  try {
    client = createClient({
      url: location.connectionUrl,
      ...(database.authToken === undefined ? {} : { authToken: database.authToken }),
      ...(isFile ? { concurrency: 1 } : {}),
    })
    if (isFile) await client.execute(`PRAGMA busy_timeout = ${busyTimeoutMs}`)
  } catch (error) {
    if (location.kind !== 'file') throw describeDatabaseFailure(error, database)
    const hint = ' Does its folder exist? `ash-sqlite create` creates it.'
    throw new DatabaseError(`Cannot open database ${database.displayUrl}: ${redactedMessage(error, redact)}.${hint}`, {
      cause: redactError(error, redact),
    })
  }
  const onLockWait = options.onLockWait ?? (() => undefined)
  return new LibsqlSession(database, client, redact, { isFile, lockTimeoutMs, busyTimeoutMs, onLockWait })
}

/** The error for a `file:` URL that names a directory: SQLite's own message ("unable to open") says nothing useful. */
export function directoryError(database: Pick<ResolvedDatabase, 'name' | 'displayUrl'>): DatabaseError {
  return new DatabaseError(
    `Database ${database.name} (${database.displayUrl}) is a directory, not a database file.\n  Point the URL at a file inside it (file:path/to/app.db), or move the directory away.`,
    { reason: 'is_directory' },
  )
}

interface SessionSettings {
  readonly isFile: boolean
  readonly lockTimeoutMs: number
  readonly busyTimeoutMs: number
  readonly onLockWait: (waitedMs: number) => void
}

class LibsqlSession implements DatabaseSession {
  readonly database: ResolvedDatabase
  readonly redact: Redactor
  readonly #client: Client
  readonly #settings: SessionSettings

  constructor(database: ResolvedDatabase, client: Client, redact: Redactor, settings: SessionSettings) {
    this.database = database
    this.redact = redact
    this.#client = client
    this.#settings = settings
  }

  query(sql: string, args: readonly InValue[] = []): Promise<Row[]> {
    return runQuery(this.#client, sql, args, this.redact)
  }

  async writeTransaction<T>(
    work: (tx: SqlTransaction) => Promise<T>,
    options: WriteTransactionOptions<T> = {},
  ): Promise<T> {
    const deadline = Date.now() + this.#settings.lockTimeoutMs
    for (let attempt = 1; ; attempt++) {
      const started = Date.now()
      try {
        return await this.#writeTransactionOnce(work)
      } catch (error) {
        if (!isWriteLockLost(error)) throw error
        const pauseMs = pauseAfterLostLock(Date.now() - started, attempt)
        if (Date.now() + pauseMs > deadline) {
          throw new WriteLockLostError(this.database.displayUrl, attempt, { cause: error })
        }
        const done = await waitForOtherWriter(pauseMs, options.doneElsewhere)
        if (done !== undefined) return done
      }
    }
  }

  async read<T>(work: (runner: SqlRunner) => Promise<T>): Promise<T> {
    const wait = this.#lockWait()
    for (;;) {
      try {
        return await work(this)
      } catch (error) {
        if (!isBusy(error)) throw error
        await wait.again(error)
      }
    }
  }

  async #writeTransactionOnce<T>(work: (tx: SqlTransaction) => Promise<T>): Promise<T> {
    const { tx, foreignKeys } = await this.#beginWithForeignKeysOff()
    let restored = false
    try {
      const result = await work({
        query: (sql, args = []) => runQuery(tx, sql, args, this.redact),
        batch: (statements) => runBatch(tx, statements, this.redact),
        prefersText: this.#settings.isFile,
        executeMultiple: (sql) =>
          tx.executeMultiple(sql).catch((error: unknown) => {
            throw redactError(error, this.redact)
          }),
      })
      await this.#commit(tx)
      await tx.executeMultiple(`PRAGMA foreign_keys=${foreignKeys}`).then(
        () => {
          restored = true
        },
        () => undefined,
      )
      return result
    } catch (error) {
      // A statement may already have ended the transaction (SQLite rolls back on some errors), and then
      // ROLLBACK itself fails: the connection is still cleaned up by close() and the restore below.
      restored = await tx.executeMultiple(`ROLLBACK; PRAGMA foreign_keys=${foreignKeys}`).then(
        () => true,
        () => false,
      )
      throw redactError(error, this.redact)
    } finally {
      tx.close()
      if (!restored) await this.#restoreForeignKeys(foreignKeys)
    }
  }

  close(): void {
    this.#client.close()
  }

  /**
   * COMMIT needs the EXCLUSIVE lock, so it waits for readers of other processes to finish: a COMMIT that
   * meets them fails with SQLITE_BUSY and leaves the transaction open, to be committed again.
   */
  async #commit(tx: Transaction): Promise<void> {
    const wait = this.#lockWait()
    for (;;) {
      try {
        // executeMultiple, not execute: a COMMIT through execute() closes the transaction object.
        await tx.executeMultiple('COMMIT')
        return
      } catch (error) {
        if (!isBusy(error)) throw error
        await wait.again(error)
      }
    }
  }

  /** One wait for another process's lock: pauses between attempts, says so after a second, gives up at the timeout. */
  #lockWait(): { again(error: unknown): Promise<void> } {
    const started = Date.now()
    const deadline = started + this.#settings.lockTimeoutMs
    let noticed = false
    return {
      again: async (error) => {
        const waited = Date.now() - started
        if (Date.now() >= deadline) {
          throw new LockTimeoutError(this.database.displayUrl, this.#settings.lockTimeoutMs, {
            cause: redactError(error, this.redact),
          })
        }
        if (!noticed && waited >= lockWaitNoticeMs) {
          noticed = true
          this.#settings.onLockWait(waited)
        }
        await delay(retryPauseMs)
      },
    }
  }

  /** Takes the write lock, waiting for other writers in slices so the event loop is not blocked for long. */
  async #beginWithForeignKeysOff(): Promise<{ tx: Transaction; foreignKeys: 'ON' | 'OFF' }> {
    const wait = this.#lockWait()
    for (;;) {
      const tx = await this.#client.transaction('deferred')
      let foreignKeys: 'ON' | 'OFF' = 'ON'
      try {
        // Remote streams end with the transaction, so only a file connection has a setting to restore.
        if (this.#settings.isFile) foreignKeys = await readForeignKeys(tx)
        const busy = this.#settings.isFile ? ` PRAGMA busy_timeout=${this.#settings.busyTimeoutMs};` : ''
        await tx.executeMultiple(`COMMIT; PRAGMA foreign_keys=OFF;${busy} BEGIN IMMEDIATE`)
        return { tx, foreignKeys }
      } catch (error) {
        tx.close()
        await this.#restoreForeignKeys(foreignKeys)
        if (!isBusy(error)) throw redactError(error, this.redact)
        await wait.again(error)
      }
    }
  }

  async #restoreForeignKeys(foreignKeys: 'ON' | 'OFF'): Promise<void> {
    if (!this.#settings.isFile) return
    await this.#client.execute(`PRAGMA foreign_keys=${foreignKeys}`).catch(() => undefined)
  }
}

async function runQuery(
  runner: Client | Transaction,
  sql: string,
  args: readonly InValue[],
  redact: Redactor,
): Promise<Row[]> {
  try {
    const result = await runner.execute({ sql, args: [...args] })
    return result.rows
  } catch (error) {
    throw redactError(error, redact)
  }
}

async function runBatch(
  tx: Transaction,
  statements: readonly (string | SqlStatement)[],
  redact: Redactor,
): Promise<Row[][]> {
  try {
    const results = await tx.batch(
      statements.map((statement) =>
        typeof statement === 'string'
          ? { sql: statement, args: [] }
          : { sql: statement.sql, args: [...(statement.args ?? [])] },
      ),
    )
    return results.map((result) => result.rows)
  } catch (error) {
    const index = (error as { statementIndex?: unknown }).statementIndex
    if (typeof index !== 'number') throw redactError(error, redact)
    // libSQL's batch error repeats the code its message already starts with ("SQLITE_ERROR: SQLITE_ERROR: ...").
    const message = redactedMessage(error, redact).replace(/^(\w+): \1: /, '$1: ')
    throw new StatementBatchError(index, message, redactError(error, redact))
  }
}

async function readForeignKeys(tx: Transaction): Promise<'ON' | 'OFF'> {
  const result = await tx.execute('PRAGMA foreign_keys')
  return Number(result.rows[0]?.[0] ?? 1) === 0 ? 'OFF' : 'ON'
}

export function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return (typeof code === 'string' && code.startsWith('SQLITE_BUSY')) || /database is locked/i.test(String(error))
}

function fileKind(path: string): 'file' | 'directory' | 'absent' {
  const stats = statSync(path, { throwIfNoEntry: false })
  return stats === undefined ? 'absent' : stats.isDirectory() ? 'directory' : 'file'
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
