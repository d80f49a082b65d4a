/**
 * `status --drift`: per database (every member of a fleet), the live schema against the schema its applied
 * migrations should have produced. That expected schema is built by replaying the applied migrations'
 * migration.sql in an in-memory SQLite database, so it holds exactly what the committed migrations make:
 * tables, columns, indexes, foreign keys, CHECKs, and the views and triggers custom statements create. One
 * replay serves every database that applied the same migrations. Read-only on the databases.
 */
import type { Client } from '@libsql/client'
import { type ConfigInput, toResolvedConfig } from '../config/config-input.js'
import { checkConcurrency, mapWithConcurrency } from '../database/concurrency.js'
import { describeDatabaseFailure } from '../database/describe-failure.js'
import { type DatabaseProgress, progressCounter } from '../database/progress.js'
import { openSession, type SqlRunner } from '../database/session.js'
import type { DatabaseSelection } from '../database/targets.js'
import { type DatabaseEntry, type ResolvedDatabase, resolveDatabases, selectRepos } from '../database/targets.js'
import { AshSqliteError } from '../errors.js'
import { type LiveSchema, readLiveSchema } from '../introspect/live-schema.js'
import { diffSchemas, type SchemaDifference } from '../introspect/schema-diff.js'
import { type MigrationFolder, splitStatements } from '../migrator/migration-files.js'
import { describeMigrations, isApplied } from '../migrator/migration-state.js'
import { readFoldersOfRepos } from '../migrator/runner.js'
import { readAppliedMigrations } from '../migrator/tracking-table.js'

export interface DriftOptions extends DatabaseSelection {
  readonly concurrency?: number | undefined
  readonly onDatabase?: ((database: DatabaseDrift, progress: DatabaseProgress) => void) | undefined
}

export interface DatabaseDrift {
  readonly repo: string
  readonly database: string
  /** Redacted. */
  readonly url: string
  /** The applied migrations the expected schema was replayed from, in order. */
  readonly applied: readonly string[]
  /** Every difference, by object; empty when the database matches its migrations. */
  readonly differences: readonly SchemaDifference[]
  readonly error?: AshSqliteError
}

export interface DriftRunResult {
  /** No database failed to be read. */
  readonly ok: boolean
  /** At least one database differs from its migrations. */
  readonly drifted: boolean
  readonly databases: readonly DatabaseDrift[]
}

/** A replay that failed: the expected schema cannot be known. */
export class ReplayError extends AshSqliteError {
  override name = 'ReplayError'
  constructor(migration: string, statement: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause)
    super(
      'drift_replay_failed',
      `Cannot build the expected schema: statement of ${migration} fails on a fresh database (${reason}): ${statement.slice(0, 120)}`,
      { cause },
    )
  }
}

export async function drift(input: ConfigInput, options: DriftOptions = {}): Promise<DriftRunResult> {
  const config = toResolvedConfig(input)
  const concurrency = checkConcurrency(options.concurrency)
  const foldersByRepo = await readFoldersOfRepos(selectRepos(config, options.repo))
  const entries = await resolveDatabases(config, options)
  const progress = progressCounter(entries.length)
  const replays = new Map<string, Promise<LiveSchema>>()
  const databases = await mapWithConcurrency(entries, concurrency, async (entry, index) => {
    const result = await driftOfEntry(entry, foldersByRepo, replays)
    options.onDatabase?.(result, progress.finish(index, result.error !== undefined))
    return result
  })
  return {
    ok: databases.every((database) => database.error === undefined),
    drifted: databases.some((database) => database.differences.length > 0),
    databases,
  }
}

async function driftOfEntry(
  entry: DatabaseEntry,
  foldersByRepo: ReadonlyMap<string, readonly MigrationFolder[] | AshSqliteError>,
  replays: Map<string, Promise<LiveSchema>>,
): Promise<DatabaseDrift> {
  if (entry.kind === 'unresolved') {
    const { repo, database, url, error } = entry.unresolved
    return { repo, database, url, applied: [], differences: [], error }
  }
  const { database } = entry
  const identity = { repo: database.repo.name, database: database.name, url: database.displayUrl }
  const folders = foldersByRepo.get(database.repo.name)
  if (folders === undefined || folders instanceof AshSqliteError)
    return { ...identity, applied: [], differences: [], ...(folders === undefined ? {} : { error: folders }) }
  try {
    return { ...identity, ...(await readDrift(database, folders, replays)) }
  } catch (error) {
    return { ...identity, applied: [], differences: [], error: describeDatabaseFailure(error, database) }
  }
}

async function readDrift(
  database: ResolvedDatabase,
  folders: readonly MigrationFolder[],
  replays: Map<string, Promise<LiveSchema>>,
): Promise<Pick<DatabaseDrift, 'applied' | 'differences'>> {
  const session = await openSession(database, { create: false })
  if (session === null) {
    throw new AshSqliteError('drift_no_database', `Database ${database.name} (${database.displayUrl}) does not exist.`)
  }
  try {
    const rows = await readAppliedMigrations(session, folders)
    const applied = describeMigrations(folders, rows).flatMap((entry): MigrationFolder[] => {
      // Part of a squash applied through the migrations it replaced: those built this database.
      if (entry.viaReplaced !== undefined && entry.viaReplaced.remaining.length > 0) return [...entry.viaReplaced.done]
      return isApplied(entry) && entry.folder !== undefined ? [entry.folder] : []
    })
    const key = `${database.repo.name}\u0000${applied.map((folder) => `${folder.name}:${folder.hash}`).join('\u0000')}`
    let expected = replays.get(key)
    if (expected === undefined) {
      expected = replay(applied)
      // A failed replay stays cached on purpose: every database with the same migrations fails the same way.
      replays.set(key, expected)
    }
    const live = await readLiveSchema(session)
    return { applied: applied.map((folder) => folder.name), differences: diffSchemas(await expected, live) }
  } finally {
    session.close()
  }
}

/** The schema the migrations build on an empty database. */
export async function replay(folders: readonly MigrationFolder[]): Promise<LiveSchema> {
  const { createClient } = await import('@libsql/client')
  const client: Client = createClient({ url: ':memory:' })
  try {
    for (const folder of folders) {
      for (const statement of splitStatements(folder.upSql)) {
        try {
          await client.execute(statement)
        } catch (error) {
          throw new ReplayError(folder.name, statement, error)
        }
      }
    }
    const runner: SqlRunner = {
      query: async (sql, args = []) => (await client.execute({ sql, args: [...args] })).rows,
    }
    return await readLiveSchema(runner)
  } finally {
    client.close()
  }
}
