import { type ConfigInput, toResolvedConfig } from '../config/config-input.js'
import { checkConcurrency, mapWithConcurrency } from '../database/concurrency.js'
import { describeDatabaseFailure } from '../database/describe-failure.js'
import { progressCounter } from '../database/progress.js'
import { openSession } from '../database/session.js'
import { type DatabaseEntry, type ResolvedDatabase, resolveDatabases, selectRepos } from '../database/targets.js'
import { AshSqliteError } from '../errors.js'
import type { MigrationFolder } from './migration-files.js'
import { describeMigrations, unnamedRows } from './migration-state.js'
import { readFoldersOfRepos } from './runner.js'
import { readAppliedMigrations } from './tracking-table.js'
import type { DatabaseStatus, MigrationStatusEntry, StatusOptions, StatusRunResult } from './types.js'

/**
 * Per database: every migration with its state (applied, pending, changed, missing, out of order).
 * Read-only: it creates neither the database file nor the tracking table, and upgrades nothing.
 */
export async function status(input: ConfigInput, options: StatusOptions = {}): Promise<StatusRunResult> {
  const config = toResolvedConfig(input)
  const concurrency = checkConcurrency(options.concurrency)
  const repos = selectRepos(config, options.repo)
  const foldersByRepo = await readFoldersOfRepos(repos)
  const entries = await resolveDatabases(config, options)
  const progress = progressCounter(entries.length)
  const databases = await mapWithConcurrency(entries, concurrency, async (entry, index) => {
    const database = await statusOfEntry(entry, foldersByRepo)
    options.onDatabase?.(database, progress.finish(index, database.error !== undefined))
    return database
  })
  // Loaded here only: migrate and rollback never need the snapshot lineage.
  const { forkConflictsOf } = await import('../forks/repo-forks.js')
  const conflicts = repos.flatMap((repo) => forkConflictsOf(repo))
  return { ok: databases.every((database) => database.error === undefined), databases, conflicts }
}

async function statusOfEntry(
  entry: DatabaseEntry,
  foldersByRepo: ReadonlyMap<string, readonly MigrationFolder[] | AshSqliteError>,
): Promise<DatabaseStatus> {
  if (entry.kind === 'unresolved') {
    const { repo, database, url, error } = entry.unresolved
    return { repo, database, url, migrations: [], warnings: [], error }
  }
  const { database } = entry
  const identity = { repo: database.repo.name, database: database.name, url: database.displayUrl }
  const folders = foldersByRepo.get(database.repo.name)
  if (folders === undefined || folders instanceof AshSqliteError)
    return { ...identity, migrations: [], warnings: [], ...errorField(folders) }
  try {
    return { ...identity, ...(await readStatus(database, folders)) }
  } catch (error) {
    return { ...identity, migrations: [], warnings: [], error: describeDatabaseFailure(error, database) }
  }
}

async function readStatus(
  database: ResolvedDatabase,
  folders: readonly MigrationFolder[],
): Promise<Pick<DatabaseStatus, 'migrations' | 'warnings' | 'exists'>> {
  const session = await openSession(database, { create: false })
  try {
    const applied = session === null ? [] : await readAppliedMigrations(session, folders)
    const migrations = describeMigrations(folders, applied).map(
      (entry): MigrationStatusEntry => ({
        name: entry.name,
        state: entry.state,
        ...(entry.applied?.appliedAt ? { appliedAt: entry.applied.appliedAt } : {}),
      }),
    )
    const warnings = unnamedRows(applied).map(
      (row) => `Tracking row id ${row.id} of __drizzle_migrations has no name and is ignored.`,
    )
    return { migrations, warnings, exists: session !== null }
  } finally {
    session?.close()
  }
}

function errorField(error: AshSqliteError | undefined): { error?: AshSqliteError } {
  return error === undefined ? {} : { error }
}
