/**
 * The one private runner behind `migrate` and `rollback` (kysely's shape: public functions turn their
 * options into a strategy, the runner does the rest). It reads each repo's migration folders, plans per
 * repo up front (bad options fail the whole run before any database is touched), lists the databases,
 * and works on them with bounded concurrency: remote databases on this thread (their waits are network
 * waits), `file:` databases of a large enough run on worker threads (file-worker.ts). Each database's
 * failure is its own data; the others carry on.
 */
import { availableParallelism } from 'node:os'
import type { ResolvedConfig, ResolvedRepo } from '../config/resolved-config.js'
import { checkConcurrency } from '../database/concurrency.js'
import { forEachDatabase } from '../database/for-each-database.js'
import { type DatabaseEntry, type ResolvedDatabase, resolveDatabases, selectRepos } from '../database/targets.js'
import { AshSqliteError } from '../errors.js'
import { MigrationFilesError, MissingMigrationFileError } from './errors.js'
import { createFileWorkerPool, type FileWorkerPool } from './file-worker-pool.js'
import { type MigrationFolder, readMigrationFoldersSync } from './migration-files.js'
import { type DatabaseOutcome, runOnDatabase } from './run-database.js'
import type { Planner, Strategy } from './strategy.js'
import type { DatabaseRunResult, MigrationRunResult, MigratorEvent, RunOptions } from './types.js'

/**
 * Below this many `file:` databases a run stays on one thread: starting threads costs more than the
 * overlap of a few databases' disk syncs gains.
 */
export const minFilesForThreads = 16

/**
 * More threads than cores only add contention for the CPU: with a database's migrations in one
 * transaction, a thread spends little time waiting for the disk.
 */
const maxThreads = availableParallelism()

type RepoFolders = ReadonlyMap<string, readonly MigrationFolder[] | AshSqliteError>

interface RunContext {
  readonly strategy: Strategy
  readonly lockTimeoutMs: number | undefined
  readonly maxTransactionMs: number | undefined
  readonly foldersByRepo: RepoFolders
  readonly planners: ReadonlyMap<string, Planner>
  readonly pool: FileWorkerPool | undefined
  readonly emit: (event: MigratorEvent) => void
}

export async function runMigrations(
  config: ResolvedConfig,
  options: RunOptions,
  strategy: Strategy,
): Promise<MigrationRunResult> {
  const concurrency = checkConcurrency(options.concurrency)
  const repos = selectRepos(config, options.repo)
  const foldersByRepo = readFoldersOfRepos(repos)
  const planners = new Map<string, Planner>()
  for (const repo of repos) {
    const folders = foldersByRepo.get(repo.name)
    if (Array.isArray(folders)) planners.set(repo.name, strategy.plannerFor(repo, folders))
  }
  const entries = await resolveDatabases(config, options)
  const { lockTimeoutMs, maxTransactionMs } = options
  const pool = filePoolFor(entries, concurrency, repos, foldersByRepo, strategy, { lockTimeoutMs, maxTransactionMs })
  const emit = (event: MigratorEvent): void => options.onEvent?.(event)
  const context: RunContext = { strategy, lockTimeoutMs, maxTransactionMs, foldersByRepo, planners, pool, emit }
  let databases: DatabaseRunResult[]
  try {
    databases = await forEachDatabase<DatabaseRunResult, MigratorEvent>(entries, {
      concurrency,
      work: (database) => runOn(database, context),
      unresolved: ({ repo, database, url, error }) => ({ repo, database, url, results: [], warnings: [], error }),
      failed: (result) => result.error !== undefined,
      // database_started gets the run's direction, so a listener knows what the run does from the first event.
      onEvent: (event) => emit(event.type === 'database_started' ? { ...event, direction: strategy.direction } : event),
    })
  } finally {
    await pool?.close()
  }
  return {
    ok: databases.every((database) => database.error === undefined),
    direction: strategy.direction,
    dryRun: strategy.dryRun,
    databases,
  }
}

/** Each selected repo's migration folders, or why they could not be read (synchronous: see migration-files.ts). */
export function readFoldersOfRepos(repos: readonly ResolvedRepo[]): RepoFolders {
  return new Map(
    repos.map((repo): [string, readonly MigrationFolder[] | AshSqliteError] => {
      try {
        return [repo.name, readMigrationFoldersSync(repo.migrationsDir)]
      } catch (cause) {
        if (cause instanceof MissingMigrationFileError) return [repo.name, cause]
        return [repo.name, new MigrationFilesError(repo.name, repo.migrationsDir, { cause })]
      }
    }),
  )
}

function filePoolFor(
  entries: readonly DatabaseEntry[],
  concurrency: number,
  repos: readonly ResolvedRepo[],
  foldersByRepo: RepoFolders,
  strategy: Strategy,
  timing: { lockTimeoutMs: number | undefined; maxTransactionMs: number | undefined },
): FileWorkerPool | undefined {
  const files = entries.filter((entry) => entry.kind === 'database' && entry.database.location.kind === 'file')
  if (concurrency < 2 || files.length < minFilesForThreads) return undefined
  const readable = repos.flatMap((repo) => {
    const folders = foldersByRepo.get(repo.name)
    return Array.isArray(folders) ? [{ name: repo.name, migrationsDir: repo.migrationsDir, folders }] : []
  })
  const size = Math.min(concurrency, files.length, maxThreads)
  return createFileWorkerPool(size, { spec: strategy.spec, ...timing, repos: readable })
}

async function runOn(database: ResolvedDatabase, context: RunContext): Promise<DatabaseRunResult> {
  const outcome = await workOn(database, context)
  return {
    repo: database.repo.name,
    database: database.name,
    url: database.displayUrl,
    results: outcome.results,
    warnings: outcome.warnings,
    ...(outcome.error === undefined ? {} : { error: outcome.error }),
  }
}

async function workOn(database: ResolvedDatabase, context: RunContext): Promise<DatabaseOutcome> {
  const folders = context.foldersByRepo.get(database.repo.name)
  const planner = context.planners.get(database.repo.name)
  if (!Array.isArray(folders) || planner === undefined) {
    return { results: [], warnings: [], error: folders instanceof AshSqliteError ? folders : undefined }
  }
  if (context.pool !== undefined && database.location.kind === 'file') {
    const outcome = await context.pool.run(database, context.emit)
    if (outcome !== undefined) return outcome
  }
  return runOnDatabase(database, folders, planner, context)
}
