import { access, mkdir, rm } from 'node:fs/promises'
import { dirname } from 'node:path'
import { type ConfigInput, toResolvedConfig } from '../config/config-input.js'
import type { ResolvedConfig } from '../config/resolved-config.js'
import type { AshSqliteError } from '../errors.js'
import { checkConcurrency, mapWithConcurrency } from './concurrency.js'
import { describeDatabaseFailure } from './describe-failure.js'
import { createNamespace, deleteNamespace } from './namespace-admin.js'
import { type DatabaseProgress, progressCounter } from './progress.js'
import { databaseRedactor } from './redact-url.js'
import { type DatabaseEntry, type DatabaseSelection, type ResolvedDatabase, resolveDatabases } from './targets.js'

export type DatabaseOperationStatus = 'created' | 'exists' | 'dropped' | 'absent' | 'error' | 'unsupported'

export interface DatabaseOperationResult {
  readonly repo: string
  readonly database: string
  /** Redacted. */
  readonly url: string
  readonly status: DatabaseOperationStatus
  /** Why the operation was `unsupported`. */
  readonly message?: string
  readonly error?: AshSqliteError
}

export interface DatabaseOperationRunResult {
  /** False when any database ended in `error`. */
  readonly ok: boolean
  readonly databases: readonly DatabaseOperationResult[]
}

export interface DatabaseOperationOptions extends DatabaseSelection {
  /** Databases worked on at once (default `defaultConcurrency`, 8). */
  readonly concurrency?: number | undefined
  /** Called as each database is done, for progress output: where it stands in the run, and how many are done. */
  readonly onResult?: ((result: DatabaseOperationResult, progress: DatabaseProgress) => void) | undefined
}

// A crash can leave a rollback journal next to the file; it belongs to the database as much as -wal does.
const sidecarSuffixes = ['-wal', '-shm', '-journal']

/**
 * Creates each selected repo's database: a file (with its parent folders), or a sqld namespace through
 * the admin API when the fleet target has `admin`. Other remote databases are `unsupported`.
 */
export function createDatabases(
  config: ConfigInput,
  options: DatabaseOperationOptions = {},
): Promise<DatabaseOperationRunResult> {
  return runOperation(toResolvedConfig(config), options, createDatabase)
}

/**
 * Deletes each selected repo's database: a file with its `-wal`, `-shm` and `-journal` files, or a sqld
 * namespace through the admin API when the fleet target has `admin`. Asking for confirmation is the
 * caller's job: this does it.
 */
export function dropDatabases(
  config: ConfigInput,
  options: DatabaseOperationOptions = {},
): Promise<DatabaseOperationRunResult> {
  return runOperation(toResolvedConfig(config), options, dropDatabase)
}

type Operation = (database: ResolvedDatabase) => Promise<Pick<DatabaseOperationResult, 'status' | 'message'>>

async function runOperation(
  config: ResolvedConfig,
  options: DatabaseOperationOptions,
  operation: Operation,
): Promise<DatabaseOperationRunResult> {
  const concurrency = checkConcurrency(options.concurrency)
  const entries = await resolveDatabases(config, options)
  const progress = progressCounter(entries.length)
  const databases = await mapWithConcurrency(entries, concurrency, async (entry, index) => {
    const result = await operateOn(entry, operation)
    options.onResult?.(result, progress.finish(index, result.status === 'error'))
    return result
  })
  return { ok: databases.every((result) => result.status !== 'error'), databases }
}

async function operateOn(entry: DatabaseEntry, operation: Operation): Promise<DatabaseOperationResult> {
  if (entry.kind === 'unresolved') {
    const { repo, database, url, error } = entry.unresolved
    return { repo, database, url, status: 'error', error }
  }
  const { database } = entry
  const identity = { repo: database.repo.name, database: database.name, url: database.displayUrl }
  try {
    return { ...identity, ...(await operation(database)) }
  } catch (error) {
    return { ...identity, status: 'error', error: describeDatabaseFailure(error, database) }
  }
}

const createDatabase: Operation = async (database) => {
  const { location } = database
  if (database.admin !== undefined) return { status: await createNamespace(database.admin, databaseRedactor(database)) }
  if (location.kind !== 'file') return unsupported(location.kind, 'created')
  if (await exists(location.path)) return { status: 'exists' }
  await mkdir(dirname(location.path), { recursive: true })
  // Opening a file: URL creates an empty database file, which SQLite treats as a valid empty database.
  const { createClient } = await import('@libsql/client') // lazy: see openSession
  const client = createClient({ url: location.connectionUrl, concurrency: 1 })
  client.close()
  return { status: 'created' }
}

const dropDatabase: Operation = async (database) => {
  const { location } = database
  if (database.admin !== undefined) return { status: await deleteNamespace(database.admin, databaseRedactor(database)) }
  if (location.kind !== 'file') return unsupported(location.kind, 'dropped')
  const existed = await exists(location.path)
  await rm(location.path, { force: true })
  for (const suffix of sidecarSuffixes) await rm(location.path + suffix, { force: true })
  return { status: existed ? 'dropped' : 'absent' }
}

function unsupported(kind: 'memory' | 'remote', verb: string): Pick<DatabaseOperationResult, 'status' | 'message'> {
  const message =
    kind === 'memory'
      ? `An in-memory database exists only while it is open: nothing to be ${verb}.`
      : `Remote libSQL databases are not ${verb} by ash-sqlite unless they are sqld namespaces with an admin ({ url, namespace }) in the fleet's databases(): use your provider's tools (turso db, the sqld admin API).`
  return { status: 'unsupported', message }
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  )
}
