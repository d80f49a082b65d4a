import { mkdir, rm, stat } from 'node:fs/promises'
import { dirname } from 'node:path'
import { type ConfigInput, toResolvedConfig } from '../config/config-input.js'
import type { ResolvedConfig } from '../config/resolved-config.js'
import type { AshSqliteError } from '../errors.js'
import { checkConcurrency } from './concurrency.js'
import { describeDatabaseFailure } from './describe-failure.js'
import { type DatabaseEvent, forEachDatabase } from './for-each-database.js'
import { createNamespace, deleteNamespace } from './namespace-admin.js'
import { databaseRedactor } from './redact-url.js'
import { directoryError } from './session.js'
import { type DatabaseSelection, type ResolvedDatabase, resolveDatabases } from './targets.js'

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
  /** Progress, as each database starts and is done (`database_finished` carries `done`/`total`). */
  readonly onEvent?: ((event: DatabaseOperationEvent) => void) | undefined
}

export type DatabaseOperationEvent = DatabaseEvent<DatabaseOperationResult>

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
  const databases = await forEachDatabase<DatabaseOperationResult>(entries, {
    concurrency,
    work: (database) => operateOn(database, operation),
    unresolved: ({ repo, database, url, error }) => ({ repo, database, url, status: 'error', error }),
    failed: (result) => result.status === 'error',
    onEvent: options.onEvent,
  })
  return { ok: databases.every((result) => result.status !== 'error'), databases }
}

async function operateOn(database: ResolvedDatabase, operation: Operation): Promise<DatabaseOperationResult> {
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
  const kind = await fileKind(location.path)
  if (kind === 'directory') throw directoryError(database)
  if (kind === 'file') return { status: 'exists' }
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
  const kind = await fileKind(location.path)
  // rm would delete a whole directory tree with recursive, and fail without: neither is what drop means.
  if (kind === 'directory') throw directoryError(database)
  const existed = kind === 'file'
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

async function fileKind(path: string): Promise<'file' | 'directory' | 'absent'> {
  try {
    return (await stat(path)).isDirectory() ? 'directory' : 'file'
  } catch {
    return 'absent'
  }
}
