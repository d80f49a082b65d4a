/**
 * The one private runner behind `migrate` and `rollback` (kysely's shape: public functions turn their
 * options into a strategy, the runner does the rest). Per database it opens a session, brings the
 * tracking table up to date, reads what is applied, asks the strategy for a plan and runs the plan one
 * migration per transaction. Databases run with bounded concurrency; each one's failure is its own data.
 */
import { performance } from 'node:perf_hooks'
import type { ResolvedConfig, ResolvedRepo } from '../config/resolved-config.js'
import { checkConcurrency, mapWithConcurrency } from '../database/concurrency.js'
import { DatabaseError } from '../database/errors.js'
import { createRedactor, redactError, redactedMessage } from '../database/redact-url.js'
import { type DatabaseSession, openSession } from '../database/session.js'
import { type DatabaseEntry, type ResolvedDatabase, resolveDatabases, selectRepos } from '../database/targets.js'
import { AshSqliteError } from '../errors.js'
import { type MigrationDirection, MigrationFailedError, MigrationFilesError } from './errors.js'
import { type MigrationFolder, readMigrationFolders } from './migration-files.js'
import { describeMigrations, type MigrationEntry, unnamedRows } from './migration-state.js'
import type { Plan, PlannedMigration } from './plan.js'
import { executableStatements, runMigration } from './run-migration.js'
import { ensureTrackingTable, readAppliedMigrations, trackingTableState } from './tracking-table.js'
import type { DatabaseRunResult, MigrationResult, MigrationRunResult, MigratorEvent, RunOptions } from './types.js'

/** Turns the state of one database into a plan. Throwing an AshSqliteError fails that database only. */
export type Planner = (entries: readonly MigrationEntry[]) => Plan

export interface Strategy {
  readonly direction: MigrationDirection
  readonly dryRun: boolean
  /**
   * Called once per selected repo, before any database is opened, so bad options (an unknown `--to`)
   * fail the whole run up front.
   */
  plannerFor(repo: ResolvedRepo, folders: readonly MigrationFolder[]): Planner
}

type RepoFolders = ReadonlyMap<string, readonly MigrationFolder[] | AshSqliteError>

interface RunContext {
  readonly strategy: Strategy
  readonly lockTimeoutMs: number | undefined
  readonly emit: (event: MigratorEvent) => void
}

export async function runMigrations(
  config: ResolvedConfig,
  options: RunOptions,
  strategy: Strategy,
): Promise<MigrationRunResult> {
  const concurrency = checkConcurrency(options.concurrency)
  const repos = selectRepos(config, options.repo)
  const foldersByRepo = await readFoldersOfRepos(repos)
  const planners = new Map<string, Planner>()
  for (const repo of repos) {
    const folders = foldersByRepo.get(repo.name)
    if (Array.isArray(folders)) planners.set(repo.name, strategy.plannerFor(repo, folders))
  }
  const entries = await resolveDatabases(config, options)
  const context: RunContext = {
    strategy,
    lockTimeoutMs: options.lockTimeoutMs,
    emit: (event) => options.onEvent?.(event),
  }
  const databases = await mapWithConcurrency(entries, concurrency, (entry) =>
    runOnEntry(entry, foldersByRepo, planners, context),
  )
  return {
    ok: databases.every((database) => database.error === undefined),
    direction: strategy.direction,
    dryRun: strategy.dryRun,
    databases,
  }
}

/** Each selected repo's migration folders, or why they could not be read. */
export async function readFoldersOfRepos(repos: readonly ResolvedRepo[]): Promise<RepoFolders> {
  const pairs = await Promise.all(
    repos.map(async (repo): Promise<[string, readonly MigrationFolder[] | AshSqliteError]> => {
      try {
        return [repo.name, await readMigrationFolders(repo.migrationsDir)]
      } catch (cause) {
        return [repo.name, new MigrationFilesError(repo.name, repo.migrationsDir, { cause })]
      }
    }),
  )
  return new Map(pairs)
}

async function runOnEntry(
  entry: DatabaseEntry,
  foldersByRepo: RepoFolders,
  planners: ReadonlyMap<string, Planner>,
  context: RunContext,
): Promise<DatabaseRunResult> {
  if (entry.kind === 'unresolved') {
    const { repo, database, url, error } = entry.unresolved
    const result = { repo, database, url, results: [], warnings: [], error }
    context.emit({ type: 'database_finished', repo, database, result })
    return result
  }
  const { database } = entry
  const folders = foldersByRepo.get(database.repo.name)
  const planner = planners.get(database.repo.name)
  const identity = { repo: database.repo.name, database: database.name }
  context.emit({
    ...identity,
    type: 'database_started',
    url: database.displayUrl,
    direction: context.strategy.direction,
  })
  const outcome =
    Array.isArray(folders) && planner !== undefined
      ? await runOnDatabase(database, folders, planner, context)
      : { results: [], warnings: [], error: folders instanceof AshSqliteError ? folders : undefined }
  const result: DatabaseRunResult = {
    ...identity,
    url: database.displayUrl,
    results: outcome.results,
    warnings: outcome.warnings,
    ...(outcome.error === undefined ? {} : { error: outcome.error }),
  }
  context.emit({ ...identity, type: 'database_finished', result })
  return result
}

interface DatabaseOutcome {
  results: MigrationResult[]
  warnings: string[]
  error: AshSqliteError | undefined
}

async function runOnDatabase(
  database: ResolvedDatabase,
  folders: readonly MigrationFolder[],
  planner: Planner,
  context: RunContext,
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
    if (session !== null && !strategy.dryRun) await prepareTrackingTable(session, folders, create)
    const applied = session === null ? [] : await readAppliedMigrations(session, folders)
    for (const row of unnamedRows(applied)) {
      warn(`Tracking row id ${row.id} of __drizzle_migrations has no name and is ignored.`)
    }
    const plan = planner(describeMigrations(folders, applied))
    for (const message of plan.warnings) warn(message)
    if (strategy.dryRun || session === null) {
      outcome.results = plan.steps.map(dryRunResult)
    } else {
      await executePlan(session, plan.steps, database, context, outcome)
    }
  } catch (error) {
    outcome.error = toAshError(error, database)
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
  await session.writeTransaction((tx) => ensureTrackingTable(tx, folders, { create }))
}

async function executePlan(
  session: DatabaseSession,
  steps: readonly PlannedMigration[],
  database: ResolvedDatabase,
  context: RunContext,
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
      const error = toAshError(caught, database)
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

/** Our errors pass through; anything else (a libSQL or network error) becomes a redacted DatabaseError. */
export function toAshError(error: unknown, database: ResolvedDatabase): AshSqliteError {
  if (error instanceof AshSqliteError) return error
  const redact = createRedactor(database.url, database.authToken)
  return new DatabaseError(`Database ${database.name} (${database.displayUrl}): ${redactedMessage(error, redact)}`, {
    cause: redactError(error, redact),
  })
}

function elapsedSince(started: number): number {
  return Math.round((performance.now() - started) * 100) / 100
}
