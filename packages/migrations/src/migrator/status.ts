import { type ConfigInput, toResolvedConfig } from '../config/config-input.js'
import { checkConcurrency } from '../database/concurrency.js'
import { describeDatabaseFailure } from '../database/describe-failure.js'
import { forEachDatabase } from '../database/for-each-database.js'
import { openSession } from '../database/session.js'
import { type ResolvedDatabase, resolveDatabases, selectRepos } from '../database/targets.js'
import { AshSqliteError } from '../errors.js'
import type { MigrationFolder } from './migration-files.js'
import { describeMigrations, unnamedRows } from './migration-state.js'
import { readFoldersOfRepos } from './runner.js'
import { readAppliedMigrations } from './tracking-table.js'
import type { DatabaseStatus, MigrationStatusEntry, StatusEvent, StatusOptions, StatusRunResult } from './types.js'

/**
 * Per database: every migration with its state (applied, pending, changed, missing, out of order).
 * Read-only: it creates neither the database file nor the tracking table, and upgrades nothing. A database
 * another process holds locked (a long migration) is waited for, up to the lock timeout.
 */
export async function status(input: ConfigInput, options: StatusOptions = {}): Promise<StatusRunResult> {
  const config = toResolvedConfig(input)
  if (options.d1 !== undefined || options.local === true) {
    const { statusD1Repo, d1SourceOf } = await import('../d1/node.js')
    return statusD1Repo(config, d1SourceOf(options), { repo: options.repo })
  }
  const concurrency = checkConcurrency(options.concurrency)
  const repos = selectRepos(config, options.repo)
  const foldersByRepo = readFoldersOfRepos(repos)
  const entries = await resolveDatabases(config, options)
  const databases = await forEachDatabase<DatabaseStatus>(entries, {
    concurrency,
    work: async (database, emit) => {
      const identity = { repo: database.repo.name, database: database.name, url: database.displayUrl }
      const folders = foldersByRepo.get(database.repo.name)
      if (folders === undefined || folders instanceof AshSqliteError) {
        return { ...identity, migrations: [], warnings: [], ...(folders === undefined ? {} : { error: folders }) }
      }
      const onLockWait = (waitedMs: number): void =>
        emit({ type: 'waiting_for_lock', repo: identity.repo, database: identity.database, waitedMs })
      try {
        return { ...identity, ...(await readStatus(database, folders, options.lockTimeoutMs, onLockWait)) }
      } catch (error) {
        return { ...identity, migrations: [], warnings: [], error: describeDatabaseFailure(error, database) }
      }
    },
    unresolved: ({ repo, database, url, error }) => ({ repo, database, url, migrations: [], warnings: [], error }),
    failed: (database) => database.error !== undefined,
    onEvent: options.onEvent as ((event: StatusEvent) => void) | undefined,
  })
  // Loaded here only: migrate and rollback never need the snapshot lineage.
  const { forkConflictsOf } = await import('../forks/repo-forks.js')
  const conflicts = repos.flatMap((repo) => forkConflictsOf(repo))
  return { ok: databases.every((database) => database.error === undefined), databases, conflicts }
}

async function readStatus(
  database: ResolvedDatabase,
  folders: readonly MigrationFolder[],
  lockTimeoutMs: number | undefined,
  onLockWait: (waitedMs: number) => void,
): Promise<Pick<DatabaseStatus, 'migrations' | 'warnings' | 'exists'>> {
  const session = await openSession(database, { create: false, lockTimeoutMs, onLockWait })
  try {
    const applied = session === null ? [] : await session.read((runner) => readAppliedMigrations(runner, folders))
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
