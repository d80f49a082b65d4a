/**
 * One migration as an atomic unit inside the run's write transaction: a SAVEPOINT, its statements and its
 * tracking row written (up) or removed (down), sent as ONE text in one call (one round trip to a server,
 * no prepared statement or result set per statement: this is what lets a run keep up with drizzle-orm's
 * own migrate()), then `PRAGMA foreign_key_check` when the migration may have broken a reference
 * (foreign-key-guard.ts). A failing statement, or violations the migration introduced, roll back to the
 * savepoint: the database is exactly as before the migration, and the transaction goes on (the caller
 * commits the migrations before it).
 *
 * Running a text does not say which statement failed, so after a failure the migration runs again from
 * its savepoint statement by statement, which names it (SQLite is deterministic: the same statement fails
 * again). Each migration's savepoint has its own name, so a failure can never roll back to an earlier
 * migration's savepoint; the previous one is released at the start of the next migration's text.
 *
 * When rolling back to the savepoint fails, SQLite has already ended the whole transaction (a full disk,
 * an I/O error): that is thrown as TransactionEndedError, carrying the original failure.
 */
import { StatementBatchError } from '../database/errors.js'
import type { SqlTransaction } from '../database/session.js'
import type { AshSqliteError } from '../errors.js'
import { ForeignKeyViolationError, MigrationFailedError, transactionControlReason } from './errors.js'
import {
  countViolations,
  describeViolationCounts,
  foreignKeyCheckSql,
  introducedViolations,
  mayAddViolations,
  toViolations,
  type ViolationCounts,
} from './foreign-key-guard.js'
import { isForeignKeysPragma } from './foreign-keys-pragma.js'
import type { PlannedMigration } from './plan.js'
import { endsInLineComment, endsInsideComment } from './statement-text.js'
import { recordAppliedSql, removeRecordSql } from './tracking-table.js'

/** State of one write transaction that the migrations run in it share. */
export interface TransactionState {
  /** How many migrations ran in this transaction: numbers the savepoints. */
  migrations: number
  /** The savepoint of the previous migration, still to be released (by the next migration's text). */
  pendingRelease: string | undefined
  /**
   * Foreign key violations per (table, parent) before the next migration, once known (see
   * foreign-key-guard.ts); undefined until a check found any.
   */
  violationsBefore: ViolationCounts | undefined
}

export function newTransactionState(): TransactionState {
  return { migrations: 0, pendingRelease: undefined, violationsBefore: undefined }
}

export type MigrationOutcome =
  | { readonly ok: true; readonly warning?: string | undefined }
  | { readonly ok: false; readonly error: AshSqliteError }

/** The whole transaction is gone (SQLite rolled it back); `failure` is what ended it. */
export class TransactionEndedError extends Error {
  override name = 'TransactionEndedError'
  readonly failure: unknown
  constructor(failure: unknown, options: { cause?: unknown } = {}) {
    super('the write transaction ended', options)
    this.failure = failure
  }
}

/** The statements that would run, for dry runs (drizzle's PRAGMA foreign_keys lines excluded). */
export function executableStatements(migration: PlannedMigration): string[] {
  return migration.statements.filter((statement) => !isForeignKeysPragma(statement))
}

// Statements are joined on their own lines: a `--` comment at the end of one cannot hide the `;`.
const separator = '\n;\n'

export async function runMigration(
  tx: SqlTransaction,
  migration: PlannedMigration,
  state: TransactionState,
): Promise<MigrationOutcome> {
  const control = migration.statements.findIndex(isTransactionControl)
  if (control !== -1) return { ok: false, error: statementFailure(migration, control, transactionControlReason) }

  const body = migrationBody(migration)
  const savepoint = `ash_sqlite_migration_${state.migrations++}`
  const release = state.pendingRelease === undefined ? [] : [`RELEASE ${state.pendingRelease}`]
  state.pendingRelease = undefined
  if (tx.prefersText) {
    try {
      await tx.executeMultiple([...release, `SAVEPOINT ${savepoint}`, body.text].join(separator))
    } catch (error) {
      const failure = await locateFailure(tx, migration, body, savepoint, error)
      if (failure !== undefined) return { ok: false, error: failure }
    }
  } else {
    // One batch (one round trip) that names a failing statement itself.
    await tx.batch([...release, `SAVEPOINT ${savepoint}`])
    const failure = await runStatementByStatement(tx, migration, body)
    if (failure !== undefined) {
      await rollBackToSavepoint(tx, savepoint, failure)
      return { ok: false, error: failure }
    }
  }

  let warning: string | undefined
  if (body.checked) {
    let after = toViolations(await tx.query(foreignKeyCheckSql))
    if (after.length > 0 && state.violationsBefore === undefined) {
      // Learn what was there before this migration, then run it again (see foreign-key-guard.ts).
      await tx.executeMultiple(`ROLLBACK TO ${savepoint}`)
      const existing = toViolations(await tx.query(foreignKeyCheckSql))
      state.violationsBefore = countViolations(existing)
      if (existing.length > 0) {
        warning = `${existing.length} foreign key violation(s) existed before this migration ran (${describeViolationCounts(existing)}). They do not stop migrations; \`PRAGMA foreign_key_check\` lists them.`
        const again = await runStatementByStatement(tx, migration, body)
        if (again !== undefined) {
          await rollBackToSavepoint(tx, savepoint, again)
          return { ok: false, error: again }
        }
        after = toViolations(await tx.query(foreignKeyCheckSql))
      }
    }
    const found = introducedViolations(state.violationsBefore ?? new Map(), after)
    if (found.introduced > 0) {
      const failure = new ForeignKeyViolationError(
        migration.folder.name,
        migration.direction,
        found.violations,
        found.introduced,
      )
      await rollBackToSavepoint(tx, savepoint, failure)
      return { ok: false, error: failure }
    }
    state.violationsBefore = countViolations(after)
  }
  state.pendingRelease = savepoint
  return { ok: true, warning }
}

interface MigrationBody {
  /** The statements that run, then the tracking row: one text. */
  readonly text: string
  /** The statements that run, each with its 0-based index in the migration file. */
  readonly statements: ReadonlyArray<{ readonly sql: string; readonly fileIndex: number }>
  readonly tracking: string
  /** Whether the migration may add foreign key violations, and so is checked. */
  readonly checked: boolean
}

function migrationBody(migration: PlannedMigration): MigrationBody {
  const statements = migration.statements.flatMap((sql, fileIndex) =>
    // Skipped on purpose: see foreign-keys-pragma.ts.
    isForeignKeysPragma(sql) ? [] : [{ sql: guardTail(sql), fileIndex }],
  )
  const { folder } = migration
  const tracking = migration.direction === 'up' ? recordAppliedSql(folder, new Date()) : removeRecordSql(folder.name)
  // Each `;` right after its statement, as when statements run one by one: SQLite keeps a CREATE statement's
  // text up to the `;`, so a separator on its own line would add a newline to sqlite_master's copy.
  const text = [...statements.map((statement) => terminate(statement.sql)), tracking].join('\n')
  const checked = statements.some((statement) => mayAddViolations(statement.sql))
  return { text, statements, tracking, checked }
}

function terminate(sql: string): string {
  return endsInLineComment(sql) ? `${sql}\n;` : `${sql};`
}

/**
 * A statement that ends inside a block comment would swallow everything joined after it (SQLite lets a
 * comment run to the end of the input), the tracking row included: close the comment.
 */
function guardTail(sql: string): string {
  return endsInsideComment(sql) ? `${sql} */` : sql
}

/**
 * After the migration's text failed: back to its savepoint, and the statements once more one by one, to
 * name the one that fails. Returns that failure (the savepoint rolled back and released), or undefined
 * when the second run went through (then the migration is applied, as if the first run had).
 */
async function locateFailure(
  tx: SqlTransaction,
  migration: PlannedMigration,
  body: MigrationBody,
  savepoint: string,
  error: unknown,
): Promise<AshSqliteError | undefined> {
  try {
    await tx.executeMultiple(`ROLLBACK TO ${savepoint}`)
  } catch (rollbackError) {
    // The error ended the transaction (or the savepoint never began): the statement cannot be named.
    throw new TransactionEndedError(unlocatedFailure(migration, error), { cause: rollbackError })
  }
  const failure = await runStatementByStatement(tx, migration, body)
  if (failure !== undefined) await rollBackToSavepoint(tx, savepoint, failure)
  return failure
}

/** The statements and the tracking row as a batch (which names a failing statement); undefined when all ran. */
async function runStatementByStatement(
  tx: SqlTransaction,
  migration: PlannedMigration,
  body: MigrationBody,
): Promise<MigrationFailedError | undefined> {
  try {
    await tx.batch([...body.statements.map((statement) => statement.sql), body.tracking])
    return undefined
  } catch (error) {
    const statement = error instanceof StatementBatchError ? body.statements[error.index] : undefined
    // A failure outside the migration's own statements (the tracking row) is the database's.
    if (statement === undefined) throw error instanceof StatementBatchError ? error.cause : error
    return statementFailure(migration, statement.fileIndex, (error as Error).message, (error as Error).cause)
  }
}

async function rollBackToSavepoint(tx: SqlTransaction, savepoint: string, failure: AshSqliteError): Promise<void> {
  try {
    await tx.executeMultiple(`ROLLBACK TO ${savepoint}; RELEASE ${savepoint}`)
  } catch (error) {
    throw new TransactionEndedError(failure, { cause: error })
  }
}

function statementFailure(
  migration: PlannedMigration,
  statementIndex: number,
  reason: string,
  cause?: unknown,
): MigrationFailedError {
  const details = {
    migrationName: migration.folder.name,
    direction: migration.direction,
    statementIndex,
    statementCount: migration.statements.length,
    statement: migration.statements[statementIndex] ?? '',
    reason,
  }
  return new MigrationFailedError(details, { cause })
}

/** A failure whose statement is unknown (statementIndex -1): the error ended the transaction before it could be found. */
function unlocatedFailure(migration: PlannedMigration, error: unknown): MigrationFailedError {
  const reason = error instanceof Error ? error.message : String(error)
  return new MigrationFailedError(
    {
      migrationName: migration.folder.name,
      direction: migration.direction,
      statementIndex: -1,
      statementCount: migration.statements.length,
      statement: '',
      reason,
    },
    { cause: error },
  )
}

const transactionControl = /^(?:begin|commit|end|rollback|savepoint|release)\b/i

/** BEGIN, COMMIT, ... (after leading comments): they would end or nest the migrator's own transaction. */
function isTransactionControl(statement: string): boolean {
  const withoutComments = statement
    .replace(/^\s*--.*$/gm, '')
    .replace(/^\s*\/\*[\s\S]*?\*\//, '')
    .trim()
  return transactionControl.test(withoutComments)
}
