/**
 * One migration as an atomic unit inside the run's write transaction: a SAVEPOINT, its statements, its
 * tracking row written (up) or removed (down), and `PRAGMA foreign_key_check`, sent as one batch (one
 * round trip to a server). A failing statement, or violations the migration introduced, roll back to the
 * savepoint: the database is exactly as before the migration, and the transaction goes on (the caller
 * commits the migrations before it). The savepoint of a migration that succeeded is released at the start
 * of the next migration's batch, which saves a call per migration.
 *
 * When rolling back to the savepoint fails, SQLite has already ended the whole transaction (a full disk,
 * an I/O error): that is thrown as TransactionEndedError, carrying the original failure.
 */
import { StatementBatchError } from '../database/errors.js'
import type { SqlStatement, SqlTransaction } from '../database/session.js'
import type { AshSqliteError } from '../errors.js'
import {
  type ForeignKeyViolation,
  ForeignKeyViolationError,
  MigrationFailedError,
  transactionControlReason,
} from './errors.js'
import {
  countViolations,
  describeViolationCounts,
  foreignKeyCheckSql,
  introducedViolations,
  toViolations,
  type ViolationCounts,
} from './foreign-key-guard.js'
import { isForeignKeysPragma } from './foreign-keys-pragma.js'
import type { PlannedMigration } from './plan.js'
import { recordAppliedStatement, removeRecordStatement } from './tracking-table.js'

const savepoint = 'ash_sqlite_migration'

/** State of one write transaction that the migrations run in it share. */
export interface TransactionState {
  /** A migration's savepoint still to be released (done by the next batch). */
  pendingRelease: boolean
  /**
   * Foreign key violations per (table, parent) before the next migration, once known (see
   * foreign-key-guard.ts); undefined until a check found any.
   */
  violationsBefore: ViolationCounts | undefined
}

export function newTransactionState(): TransactionState {
  return { pendingRelease: false, violationsBefore: undefined }
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

export async function runMigration(
  tx: SqlTransaction,
  migration: PlannedMigration,
  state: TransactionState,
): Promise<MigrationOutcome> {
  const control = migration.statements.findIndex(isTransactionControl)
  if (control !== -1) return { ok: false, error: statementFailure(migration, control, transactionControlReason) }

  const body = migrationBody(migration)
  const release = state.pendingRelease ? [`RELEASE ${savepoint}`] : []
  const batch = [...release, `SAVEPOINT ${savepoint}`, ...body.statements]
  state.pendingRelease = false
  let rows: Awaited<ReturnType<SqlTransaction['batch']>>
  try {
    rows = await tx.batch(batch)
  } catch (error) {
    const bodyIndex = error instanceof StatementBatchError ? error.index - release.length - 1 : -1
    const statementIndex = body.fileIndexes[bodyIndex]
    // A failure outside the migration's own statements (the savepoint, the tracking row) is the database's.
    if (statementIndex === undefined) throw error instanceof StatementBatchError ? error.cause : error
    // A failure at the SAVEPOINT itself leaves nothing to roll back to.
    const failure = statementFailure(migration, statementIndex, (error as Error).message, (error as Error).cause)
    await rollBackToSavepoint(tx, failure)
    return { ok: false, error: failure }
  }

  let after = toViolations(rows.at(-1) ?? [])
  let warning: string | undefined
  if (after.length > 0 && state.violationsBefore === undefined) {
    // Learn what was there before this migration, then run it again (see foreign-key-guard.ts).
    const [, before = []] = await tx.batch([`ROLLBACK TO ${savepoint}`, foreignKeyCheckSql])
    const existing = toViolations(before)
    state.violationsBefore = countViolations(existing)
    if (existing.length > 0) {
      warning = `${existing.length} foreign key violation(s) existed before this migration ran (${describeViolationCounts(existing)}). They do not stop migrations; \`PRAGMA foreign_key_check\` lists them.`
    }
    if (existing.length > 0) {
      const again = await runBodyAgain(tx, migration, body)
      if (again instanceof MigrationFailedError) {
        await rollBackToSavepoint(tx, again)
        return { ok: false, error: again }
      }
      after = again
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
    await rollBackToSavepoint(tx, failure)
    return { ok: false, error: failure }
  }
  state.violationsBefore = countViolations(after)
  state.pendingRelease = true
  return { ok: true, warning }
}

interface MigrationBody {
  /** The migration's statements, then its tracking row, then the foreign key check. */
  readonly statements: readonly (string | SqlStatement)[]
  /** For each of `statements`, its 0-based index in the migration file (undefined for the ones we add). */
  readonly fileIndexes: readonly (number | undefined)[]
}

function migrationBody(migration: PlannedMigration): MigrationBody {
  const statements: (string | SqlStatement)[] = []
  const fileIndexes: (number | undefined)[] = []
  migration.statements.forEach((statement, index) => {
    // Skipped on purpose: see foreign-keys-pragma.ts.
    if (isForeignKeysPragma(statement)) return
    statements.push(statement)
    fileIndexes.push(index)
  })
  const { folder } = migration
  statements.push(
    migration.direction === 'up' ? recordAppliedStatement(folder, new Date()) : removeRecordStatement(folder.name),
    foreignKeyCheckSql,
  )
  return { statements, fileIndexes }
}

/** After a ROLLBACK TO (the savepoint stays open), the same statements once more: the new check, or the failure. */
async function runBodyAgain(
  tx: SqlTransaction,
  migration: PlannedMigration,
  body: MigrationBody,
): Promise<ForeignKeyViolation[] | MigrationFailedError> {
  try {
    const rows = await tx.batch(body.statements)
    return toViolations(rows.at(-1) ?? [])
  } catch (error) {
    const statementIndex = error instanceof StatementBatchError ? body.fileIndexes[error.index] : undefined
    if (statementIndex === undefined) throw error instanceof StatementBatchError ? error.cause : error
    return statementFailure(migration, statementIndex, (error as Error).message, (error as Error).cause)
  }
}

async function rollBackToSavepoint(tx: SqlTransaction, failure: AshSqliteError): Promise<void> {
  try {
    await tx.batch([`ROLLBACK TO ${savepoint}`, `RELEASE ${savepoint}`])
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

const transactionControl = /^(?:begin|commit|end|rollback|savepoint|release)\b/i

/** BEGIN, COMMIT, ... (after leading comments): they would end or nest the migrator's own transaction. */
function isTransactionControl(statement: string): boolean {
  const withoutComments = statement
    .replace(/^\s*--.*$/gm, '')
    .replace(/^\s*\/\*[\s\S]*?\*\//, '')
    .trim()
  return transactionControl.test(withoutComments)
}
