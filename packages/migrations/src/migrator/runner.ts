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
import { checkConcurrency, mapWithConcurrency } from '../database/concurrency.js'
import { progressCounter } from '../database/progress.js'
import { type DatabaseEntry, type ResolvedDatabase, resolveDatabases, selectRepos } from '../database/targets.js'
import { AshSqliteError } from '../errors.js'
import { MigrationFilesError, MissingMigrationFileError } from './errors.js'
import { createFileWorkerPool, type FileWorkerPool } from './file-worker-pool.js'
import { type MigrationFolder, readMigrationFolders } from './migration-files.js'
import { type DatabaseOutcome, runOnDatabase } from './run-database.js'
import type { Planner, Strategy } from './strategy.js'
import type { DatabaseRunResult, MigrationRunResult, MigratorEvent, RunOptions } from './types.js'

/**
 * Below this many `file:` databases a run stays on one thread: starting threads costs more than the
 * overlap of a few databases' disk syncs gains.
 */
export const minFilesForThreads = 16

/** More threads than twice the cores only add contention for the disk and the CPU. */
const maxThreads = 2 * availableParallelism()

type RepoFolders = ReadonlyMap<string, readonly MigrationFolder[] | AshSqliteError>

interface RunContext {
  readonly strategy: Strategy
  readonly lockTimeoutMs: number | undefined
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
  const foldersByRepo = await readFoldersOfRepos(repos)
  const planners = new Map<string, Planner>()
  for (const repo of repos) {
    const folders = foldersByRepo.get(repo.name)
    if (Array.isArray(folders)) planners.set(repo.name, strategy.plannerFor(repo, folders))
  }
  const entries = await resolveDatabases(config, options)
  const pool = filePoolFor(entries, concurrency, repos, foldersByRepo, strategy, options.lockTimeoutMs)
  const context: RunContext = {
    strategy,
    lockTimeoutMs: options.lockTimeoutMs,
    foldersByRepo,
    planners,
    pool,
    emit: (event) => options.onEvent?.(event),
  }
  const progress = progressCounter(entries.length)
  let databases: DatabaseRunResult[]
  try {
    databases = await mapWithConcurrency(entries, concurrency, async (entry, index) => {
      const result = await runOnEntry(entry, index, entries.length, context)
      const done = progress.finish(index, result.error !== undefined)
      context.emit({ type: 'database_finished', repo: result.repo, database: result.database, result, ...done })
      return result
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

/** Each selected repo's migration folders, or why they could not be read. */
export async function readFoldersOfRepos(repos: readonly ResolvedRepo[]): Promise<RepoFolders> {
  const pairs = await Promise.all(
    repos.map(async (repo): Promise<[string, readonly MigrationFolder[] | AshSqliteError]> => {
      try {
        return [repo.name, await readMigrationFolders(repo.migrationsDir)]
      } catch (cause) {
        if (cause instanceof MissingMigrationFileError) return [repo.name, cause]
        return [repo.name, new MigrationFilesError(repo.name, repo.migrationsDir, { cause })]
      }
    }),
  )
  return new Map(pairs)
}

function filePoolFor(
  entries: readonly DatabaseEntry[],
  concurrency: number,
  repos: readonly ResolvedRepo[],
  foldersByRepo: RepoFolders,
  strategy: Strategy,
  lockTimeoutMs: number | undefined,
): FileWorkerPool | undefined {
  const files = entries.filter((entry) => entry.kind === 'database' && entry.database.location.kind === 'file')
  if (concurrency < 2 || files.length < minFilesForThreads) return undefined
  const readable = repos.flatMap((repo) => {
    const folders = foldersByRepo.get(repo.name)
    return Array.isArray(folders) ? [{ name: repo.name, migrationsDir: repo.migrationsDir, folders }] : []
  })
  const size = Math.min(concurrency, files.length, maxThreads)
  return createFileWorkerPool(size, { spec: strategy.spec, lockTimeoutMs, repos: readable })
}

async function runOnEntry(
  entry: DatabaseEntry,
  databaseIndex: number,
  databaseCount: number,
  context: RunContext,
): Promise<DatabaseRunResult> {
  if (entry.kind === 'unresolved') {
    const { repo, database, url, error } = entry.unresolved
    return { repo, database, url, results: [], warnings: [], error }
  }
  const { database } = entry
  const identity = { repo: database.repo.name, database: database.name }
  context.emit({
    ...identity,
    type: 'database_started',
    url: database.displayUrl,
    direction: context.strategy.direction,
    databaseIndex,
    databaseCount,
  })
  const outcome = await workOn(database, context)
  return {
    ...identity,
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
