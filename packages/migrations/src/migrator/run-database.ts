/**
 * The work on one database of a `migrate` or `rollback` run. Every failure becomes data in the outcome.
 * Runs on the main thread or in a worker thread (file-worker.ts) alike.
 *
 * The plan runs in as few write transactions as possible (one durable COMMIT is most of what a small
 * migration costs), each migration atomic on its own inside (run-migration.ts):
 * 1. foreign keys off, BEGIN IMMEDIATE (the session does both, in that order, and waits for the lock);
 * 2. the tracking table created or upgraded, and read, under the lock: another process may have applied
 *    (or rolled back) some of the plan meanwhile;
 * 3. the plan made there (migrate), or confirmed step by step (rollback planned before the lock: each
 *    step must still be the newest applied migration, see strategy.ts);
 * 4. the migrations, until one fails (rolled back to its savepoint, the ones before it kept) or the
 *    transaction has been open for `maxTransactionMs` (then COMMIT and go on in a new transaction);
 * 5. COMMIT, and only then `migration_finished` events: until COMMIT nothing is durable.
 * If a transaction fails as a whole (lock timeout, a COMMIT that fails, SQLite ending the transaction),
 * the tracking table is read again to report exactly what was applied.
 */
import { performance } from 'node:perf_hooks'
import { describeDatabaseFailure } from '../database/describe-failure.js'
import { type DatabaseSession, openSession, type SqlTransaction } from '../database/session.js'
import type { ResolvedDatabase } from '../database/targets.js'
import type { AshSqliteError } from '../errors.js'
import { DatabaseMissingError, MigrationFailedError } from './errors.js'
import type { MigrationFolder } from './migration-files.js'
import { compareNames } from './migration-files.js'
import { describeMigrations, unnamedRows } from './migration-state.js'
import type { Plan, PlannedMigration } from './plan.js'
import { executableStatements, newTransactionState, runMigration, TransactionEndedError } from './run-migration.js'
import type { AppliedNow, Planner, Strategy } from './strategy.js'
import { type AppliedMigration, ensureAndReadAppliedMigrations, readAppliedMigrations } from './tracking-table.js'
import type { MigrationResult, MigratorEvent } from './types.js'

/** The events a database's own work emits (the runner adds database_started/finished around it). */
export type DatabaseWorkEvent = Extract<
  MigratorEvent,
  { type: 'migration_started' | 'migration_finished' | 'warning' | 'waiting_for_lock' }
>

export const defaultMaxTransactionMs = 2_000

export interface DatabaseWorkContext {
  readonly strategy: Strategy
  readonly lockTimeoutMs: number | undefined
  readonly maxTransactionMs?: number | undefined
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
  const identity = { repo: database.repo.name, database: database.name }
  const outcome: DatabaseOutcome = { results: [], warnings: [], error: undefined }
  const warn = (message: string): void => {
    if (outcome.warnings.includes(message)) return
    outcome.warnings.push(message)
    context.emit({ ...identity, type: 'warning', message })
  }
  let session: DatabaseSession | null = null
  try {
    // Only a real `migrate` may create a database file; rollback, dry runs and status read what exists.
    const create = strategy.direction === 'up' && !strategy.dryRun
    session = await openSession(database, {
      create,
      lockTimeoutMs: context.lockTimeoutMs,
      onLockWait: (waitedMs) => context.emit({ ...identity, type: 'waiting_for_lock', waitedMs }),
    })
    if (session === null && strategy.direction === 'down') throw new DatabaseMissingError(database.displayUrl)
    let plan: Plan | undefined
    if (strategy.dryRun || strategy.planBeforeLock || session === null) {
      const current = session
      const applied = current === null ? [] : await current.read((runner) => readAppliedMigrations(runner, folders))
      plan = planFrom(applied, folders, planner, warn)
    }
    if (strategy.dryRun || session === null || plan?.steps.length === 0) {
      outcome.results.push(...(plan?.steps ?? []).map(dryRunResult))
    } else {
      const run = new PlanRun(session, database, folders, planner, context, outcome, warn)
      await run.execute(plan)
    }
  } catch (error) {
    outcome.error = describeDatabaseFailure(error, database)
  } finally {
    session?.close()
  }
  return outcome
}

function planFrom(
  applied: readonly AppliedMigration[],
  folders: readonly MigrationFolder[],
  planner: Planner,
  warn: (message: string) => void,
): Plan {
  for (const row of unnamedRows(applied)) {
    warn(`Tracking row id ${row.id} of __drizzle_migrations has no name and is ignored.`)
  }
  const plan = planner(describeMigrations(folders, applied))
  for (const message of plan.warnings) warn(message)
  return plan
}

/** What one write transaction did, before its COMMIT made it durable. */
interface TransactionProgress {
  /** The plan, when it was made in this transaction. */
  plan: Plan | undefined
  /** The steps this transaction went through, with their results: run, skipped, or the one that failed. */
  readonly results: MigrationResult[]
  /** More steps remain for a next transaction (this one was open long enough). */
  more: boolean
}

class PlanRun {
  readonly #identity: { repo: string; database: string }
  readonly #maxTransactionMs: number

  constructor(
    readonly session: DatabaseSession,
    readonly database: ResolvedDatabase,
    readonly folders: readonly MigrationFolder[],
    readonly planner: Planner,
    readonly context: DatabaseWorkContext,
    readonly outcome: DatabaseOutcome,
    readonly warn: (message: string) => void,
  ) {
    this.#identity = { repo: database.repo.name, database: database.name }
    this.#maxTransactionMs = context.maxTransactionMs ?? defaultMaxTransactionMs
  }

  async execute(plannedBeforeLock: Plan | undefined): Promise<void> {
    let plan = plannedBeforeLock
    for (;;) {
      const done = this.outcome.results.length
      let progress: TransactionProgress = { plan: undefined, results: [], more: false }
      let attemptPlan = plan
      try {
        progress = await this.session.writeTransaction((tx) => {
          // A transaction the server took away runs again (see session.ts), with the plan it made: what
          // another writer did meanwhile then shows as skipped.
          attemptPlan ??= progress.plan
          progress = { plan: undefined, results: [], more: false }
          return this.#transaction(tx, attemptPlan, done, progress)
        })
      } catch (error) {
        await this.#afterFailedTransaction(error, attemptPlan ?? progress.plan, progress)
        return
      }
      plan = attemptPlan ?? progress.plan
      this.#settle(progress.results, plan?.steps.length ?? 0)
      const failed = progress.results.find((result) => result.status === 'error')
      if (failed !== undefined) {
        this.outcome.error = failed.error
        this.#notExecuted(plan)
        return
      }
      if (!progress.more) return
    }
  }

  /** One write transaction: plan or confirm, then run steps from `done` on until one fails or time is up. */
  async #transaction(
    tx: SqlTransaction,
    plannedBeforeLock: Plan | undefined,
    done: number,
    progress: TransactionProgress,
  ): Promise<TransactionProgress> {
    const started = performance.now()
    const { strategy } = this.context
    const create = strategy.direction === 'up'
    const appliedRows = await ensureAndReadAppliedMigrations(tx, this.folders, { create })
    let plan = plannedBeforeLock
    if (plan === undefined) {
      plan = planFrom(appliedRows, this.folders, this.planner, this.warn)
      progress.plan = plan
    }
    const applied = appliedNow(appliedRows)
    const state = newTransactionState()
    const steps = plan.steps
    for (let index = done; index < steps.length; index++) {
      const step = steps[index] as PlannedMigration
      if (progress.results.length > 0 && performance.now() - started >= this.#maxTransactionMs) {
        progress.more = true
        break
      }
      const migrationName = step.folder.name
      const confirmation = strategy.confirm(step, applied)
      if (confirmation === 'skip') {
        progress.results.push(result(step, 'skipped', 0))
        continue
      }
      if (confirmation !== 'run') {
        progress.results.push({ ...result(step, 'error', 0), error: confirmation })
        break
      }
      this.context.emit({
        ...this.#identity,
        type: 'migration_started',
        migrationName,
        direction: step.direction,
        index,
        total: steps.length,
      })
      const stepStarted = performance.now()
      const ran = await runMigration(tx, step, state).catch((error: unknown) => {
        // Whatever this transaction did is gone with it: report the failure, and check what is applied.
        if (error instanceof TransactionEndedError) progress.results.push(result(step, 'error', 0))
        throw error
      })
      const durationMs = elapsedSince(stepStarted)
      if (!ran.ok) {
        progress.results.push({ ...result(step, 'error', durationMs), ...failureFields(ran.error) })
        break
      }
      if (ran.warning !== undefined) this.warn(ran.warning)
      progress.results.push(result(step, 'success', durationMs))
      if (step.direction === 'up') applied.add(migrationName)
      else applied.remove(migrationName)
    }
    return progress
  }

  /** Records a committed transaction's results and tells the listeners, now that they are durable. */
  #settle(results: readonly MigrationResult[], total: number): void {
    for (const migration of results) {
      const index = this.outcome.results.length
      this.outcome.results.push(migration)
      this.context.emit({ ...this.#identity, type: 'migration_finished', result: migration, index, total })
    }
  }

  /** The steps no transaction got to, after a failure. */
  #notExecuted(plan: Plan | undefined): void {
    for (const step of plan?.steps.slice(this.outcome.results.length) ?? []) {
      this.outcome.results.push(result(step, 'not_executed', 0))
    }
  }

  /**
   * A transaction failed as a whole. Its COMMIT may or may not have happened (a COMMIT that fails on a
   * network error), so the tracking table says which of its migrations count as done.
   */
  async #afterFailedTransaction(error: unknown, plan: Plan | undefined, progress: TransactionProgress): Promise<void> {
    const ran = progress.results.filter((migration) => migration.status === 'success')
    let recorded: ReadonlySet<string> | undefined
    if (ran.length > 0) {
      recorded = await this.session
        .read((runner) => readAppliedMigrations(runner, this.folders))
        .then((rows) => new Set(rows.flatMap((row) => (row.name === null ? [] : [row.name]))))
        .catch(() => undefined)
      if (recorded === undefined) {
        this.warn(
          `Could not read __drizzle_migrations after the failure: ${ran.length} migration(s) of the failed transaction may or may not be applied. Run \`ash-sqlite status\` to see.`,
        )
      }
    }
    const durable = (migration: MigrationResult): boolean => {
      const isRecorded = recorded?.has(migration.migrationName)
      return migration.direction === 'up' ? isRecorded === true : isRecorded === false
    }
    const lost = ran.filter((migration) => !durable(migration)).length
    const reported =
      error instanceof TransactionEndedError
        ? endedTransaction(error, lost)
        : describeDatabaseFailure(error, this.database)
    const failing = error instanceof TransactionEndedError ? progress.results.at(-1) : undefined
    const settled = progress.results.map((migration): MigrationResult => {
      if (migration === failing) return { ...migration, ...failureFields(reported) }
      if (migration.status === 'success' && !durable(migration)) return { ...migration, status: 'not_executed' }
      return migration
    })
    this.#settle(settled, plan?.steps.length ?? 0)
    this.outcome.error = reported
    this.#notExecuted(plan)
  }
}

function appliedNow(
  rows: readonly AppliedMigration[],
): AppliedNow & { add(name: string): void; remove(name: string): void } {
  const names = new Set(rows.flatMap((row) => (row.name === null ? [] : [row.name])))
  let newest = [...names].sort(compareNames).at(-1)
  return {
    names,
    get newest() {
      return newest
    },
    add(name) {
      names.add(name)
      if (newest === undefined || compareNames(name, newest) > 0) newest = name
    },
    remove(name) {
      names.delete(name)
      if (name === newest) newest = [...names].sort(compareNames).at(-1)
    },
  }
}

/** The failure that ended a transaction, saying that the migrations before it in the transaction were lost. */
function endedTransaction(error: TransactionEndedError, lost: number): AshSqliteError {
  const { failure } = error
  if (failure instanceof MigrationFailedError) return failure.endingTransaction(lost)
  return failure as AshSqliteError
}

function failureFields(error: AshSqliteError): Pick<MigrationResult, 'error' | 'statementIndex' | 'statement'> {
  return {
    error,
    ...(error instanceof MigrationFailedError
      ? { statementIndex: error.statementIndex, statement: error.statement }
      : {}),
  }
}

function result(step: PlannedMigration, status: MigrationResult['status'], durationMs: number): MigrationResult {
  return { migrationName: step.folder.name, direction: step.direction, status, durationMs }
}

function dryRunResult(step: PlannedMigration): MigrationResult {
  return { ...result(step, 'not_executed', 0), statements: executableStatements(step) }
}

function elapsedSince(started: number): number {
  return Math.round((performance.now() - started) * 100) / 100
}
