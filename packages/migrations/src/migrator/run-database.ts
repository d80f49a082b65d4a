/**
 * The work on one database of a `migrate` or `rollback` run: open a session, bring the tracking table up
 * to date, read what is applied, plan, and run the plan one migration per transaction. Every failure
 * becomes data in the outcome. Runs on the main thread or in a worker thread (file-worker.ts) alike.
 */
import { performance } from 'node:perf_hooks'
import { describeDatabaseFailure } from '../database/describe-failure.js'
import { type DatabaseSession, openSession, type SqlRunner } from '../database/session.js'
import type { ResolvedDatabase } from '../database/targets.js'
import type { AshSqliteError } from '../errors.js'
import { DatabaseMissingError, MigrationFailedError } from './errors.js'
import type { MigrationFolder } from './migration-files.js'
import { describeMigrations, unnamedRows } from './migration-state.js'
import type { PlannedMigration } from './plan.js'
import { executableStatements, runMigration } from './run-migration.js'
import type { Planner, Strategy } from './strategy.js'
import { ensureTrackingTable, readAppliedMigrations, trackingTableState } from './tracking-table.js'
import type { MigrationResult, MigratorEvent } from './types.js'

/** The events a database's own work emits (the runner adds database_started/finished around it). */
export type DatabaseWorkEvent = Extract<MigratorEvent, { type: 'migration_started' | 'migration_finished' | 'warning' }>

export interface DatabaseWorkContext {
  readonly strategy: Strategy
  readonly lockTimeoutMs: number | undefined
  readonly emit: (event: DatabaseWorkEvent) => void
}

export interface DatabaseOutcome {
  readonly results: MigrationResult[]
  readonly warnings: string[]
  error: AshSqliteError | undefined
}

export async function runOnDatabase(
  database: ResolvedDatabase,
  folders: readonly MigrationFolder[],
  planner: Planner,
  context: DatabaseWorkContext,
): Promise<DatabaseOutcome> {
  const { strategy } = context
  const outcome: DatabaseOutcome = { results: [], warnings: [], error: undefined }
  const warn = (message: string): void => {
    outcome.warnings.push(message)
    context.emit({ type: 'warning', repo: database.repo.name, database: database.name, message })
  }
  let session: DatabaseSession | null = null
  try {
    // Only a real `migrate` may create a database file; rollback, dry runs and status read what exists.
    const create = strategy.direction === 'up' && !strategy.dryRun
    session = await openSession(database, { create, lockTimeoutMs: context.lockTimeoutMs })
    if (session === null && strategy.direction === 'down') throw new DatabaseMissingError(database.displayUrl)
    if (session !== null && !strategy.dryRun) await prepareTrackingTable(session, folders, create)
    const applied = session === null ? [] : await readAppliedMigrations(session, folders)
    for (const row of unnamedRows(applied)) {
      warn(`Tracking row id ${row.id} of __drizzle_migrations has no name and is ignored.`)
    }
    const plan = planner(describeMigrations(folders, applied))
    for (const message of plan.warnings) warn(message)
    if (strategy.dryRun || session === null) {
      outcome.results.push(...plan.steps.map(dryRunResult))
    } else {
      await executePlan(session, plan.steps, database, context, outcome)
    }
  } catch (error) {
    outcome.error = describeDatabaseFailure(error, database)
  } finally {
    session?.close()
  }
  return outcome
}

/** Creates (when `create`) or upgrades the tracking table under the write lock, unless there is nothing to do. */
async function prepareTrackingTable(
  session: DatabaseSession,
  folders: readonly MigrationFolder[],
  create: boolean,
): Promise<void> {
  const state = await trackingTableState(session)
  if (state === 'current' || (state === 'absent' && !create)) return
  const upToDate = async (): Promise<true | undefined> =>
    (await trackingTableState(session)) === 'current' ? true : undefined
  const ensure = async (tx: SqlRunner): Promise<true> => {
    await ensureTrackingTable(tx, folders, { create })
    return true
  }
  await session.writeTransaction(ensure, { doneElsewhere: upToDate })
}

async function executePlan(
  session: DatabaseSession,
  steps: readonly PlannedMigration[],
  database: ResolvedDatabase,
  context: DatabaseWorkContext,
  outcome: DatabaseOutcome,
): Promise<void> {
  const identity = { repo: database.repo.name, database: database.name }
  const total = steps.length
  for (const [index, step] of steps.entries()) {
    if (outcome.error !== undefined) {
      outcome.results.push(notExecuted(step))
      continue
    }
    const migrationName = step.folder.name
    context.emit({ ...identity, type: 'migration_started', migrationName, direction: step.direction, index, total })
    const started = performance.now()
    let result: MigrationResult
    try {
      const status = await runMigration(session, step)
      result = { migrationName, direction: step.direction, status, durationMs: elapsedSince(started) }
    } catch (caught) {
      const error = describeDatabaseFailure(caught, database)
      outcome.error = error
      result = {
        migrationName,
        direction: step.direction,
        status: 'error',
        durationMs: elapsedSince(started),
        error,
        ...(error instanceof MigrationFailedError
          ? { statementIndex: error.statementIndex, statement: error.statement }
          : {}),
      }
    }
    outcome.results.push(result)
    context.emit({ ...identity, type: 'migration_finished', result, index, total })
  }
}

function dryRunResult(step: PlannedMigration): MigrationResult {
  return {
    migrationName: step.folder.name,
    direction: step.direction,
    status: 'not_executed',
    durationMs: 0,
    statements: executableStatements(step),
  }
}

function notExecuted(step: PlannedMigration): MigrationResult {
  return { migrationName: step.folder.name, direction: step.direction, status: 'not_executed', durationMs: 0 }
}

function elapsedSince(started: number): number {
  return Math.round((performance.now() - started) * 100) / 100
}
