import type { DatabaseSession, SqlRunner } from '../database/session.js'
import { type ForeignKeyViolation, ForeignKeyViolationError, MigrationFailedError } from './errors.js'
import { isForeignKeysPragma } from './foreign-keys-pragma.js'
import type { PlannedMigration } from './plan.js'
import { isRecorded, recordApplied, removeRecord } from './tracking-table.js'

/**
 * Applies or rolls back one migration in its own write transaction: foreign keys off before BEGIN
 * IMMEDIATE, the tracking table read again under the lock (another process may have done the work
 * meanwhile: then `skipped`), the statements one by one, `PRAGMA foreign_key_check`, the tracking row
 * written or removed, COMMIT. Any failure rolls the whole migration back and is thrown.
 *
 * If the server takes the write lock away midway (sqld, see lost-write-lock.ts), the session runs it all
 * again, from the tracking-table read; while it waits to, a migrator that took the lock may finish the
 * same migration, which then counts as `skipped` here.
 */
export function runMigration(session: DatabaseSession, migration: PlannedMigration): Promise<'success' | 'skipped'> {
  const doneElsewhere = async (): Promise<'skipped' | undefined> =>
    (await isDone(session, migration)) ? 'skipped' : undefined
  return session.writeTransaction(
    async (tx) => {
      if (await isDone(tx, migration)) return 'skipped'
      await executeStatements(tx, migration)
      await checkForeignKeys(tx, migration)
      if (migration.direction === 'up') await recordApplied(tx, migration.folder, new Date())
      else await removeRecord(tx, migration.folder.name)
      return 'success'
    },
    { doneElsewhere },
  )
}

/** Applied (for up) or no longer applied (for down), as the tracking table says now. */
async function isDone(runner: SqlRunner, migration: PlannedMigration): Promise<boolean> {
  const recorded = await isRecorded(runner, migration.folder.name)
  return migration.direction === 'up' ? recorded : !recorded
}

/** The statements that would run, for dry runs. */
export function executableStatements(migration: PlannedMigration): string[] {
  return migration.statements.filter((statement) => !isForeignKeysPragma(statement))
}

async function executeStatements(tx: SqlRunner, migration: PlannedMigration): Promise<void> {
  const { statements } = migration
  for (const [statementIndex, statement] of statements.entries()) {
    // Skipped on purpose: see foreign-keys-pragma.ts.
    if (isForeignKeysPragma(statement)) continue
    try {
      await tx.query(statement)
    } catch (cause) {
      const details = {
        migrationName: migration.folder.name,
        direction: migration.direction,
        statementIndex,
        statementCount: statements.length,
        statement,
        reason: cause instanceof Error ? cause.message : String(cause),
      }
      throw new MigrationFailedError(details, { cause })
    }
  }
}

async function checkForeignKeys(tx: SqlRunner, migration: PlannedMigration): Promise<void> {
  const rows = await tx.query('PRAGMA foreign_key_check')
  if (rows.length === 0) return
  const violations = rows.map(
    (row): ForeignKeyViolation => ({
      table: String(row.table),
      rowid: row.rowid === null ? null : Number(row.rowid),
      parent: String(row.parent),
      fkid: Number(row.fkid),
    }),
  )
  throw new ForeignKeyViolationError(migration.folder.name, migration.direction, violations)
}
