/**
 * Results and events cross from a worker thread to the main thread by structured clone, which keeps
 * plain data but turns every error into a bare Error: its class (MigrationFailedError, ...) and its own
 * fields (`code`, `statementIndex`, ...) would be lost. So errors travel as `{ [wireErrorMark]: ... }`
 * records and are rebuilt on arrival with their class's prototype, so `instanceof` and every field work
 * as if the error had been thrown on the main thread. Only errors need this: the rest is plain data.
 */
import { DatabaseError, DatabaseListError, LockTimeoutError, WriteLockLostError } from '../database/errors.js'
import { AshSqliteError, ConfigError, UsageError } from '../errors.js'
import {
  AmbiguousVersionError,
  ChangedMigrationError,
  DatabaseMissingError,
  ForeignKeyViolationError,
  MigrationFailedError,
  MigrationFilesError,
  MissingDownError,
  MissingMigrationError,
  RollbackPlanChangedError,
  TrackingTableError,
  UnknownVersionError,
} from './errors.js'

const wireErrorMark = '__ashSqliteWireError'

interface WireError {
  /** Errors met twice in one message (a database's error is also its failed migration's) travel once. */
  readonly id: number
  readonly name: string
  readonly message: string
  readonly stack: string | undefined
  /** Own enumerable fields: `code`, `exitCode`, `statementIndex`, `violations`, ... */
  readonly fields: Record<string, unknown>
  readonly cause: unknown
}

type ErrorClass = abstract new (...args: never[]) => Error

// Keyed by class name, which every one of these sets as its `name`.
const errorClasses: ReadonlyMap<string, ErrorClass> = new Map<string, ErrorClass>(
  [
    AshSqliteError,
    ConfigError,
    UsageError,
    DatabaseError,
    DatabaseListError,
    LockTimeoutError,
    WriteLockLostError,
    AmbiguousVersionError,
    ChangedMigrationError,
    DatabaseMissingError,
    ForeignKeyViolationError,
    MigrationFailedError,
    MigrationFilesError,
    MissingDownError,
    MissingMigrationError,
    RollbackPlanChangedError,
    TrackingTableError,
    UnknownVersionError,
  ].map((errorClass) => [errorClass.name, errorClass]),
)

/** `value` with every Error inside (at any depth, causes included) replaced by a clonable record. */
export function toWire(value: unknown): unknown {
  return encode(value, new Map())
}

/** Reverses `toWire`: the records become errors of their original classes again. */
export function fromWire<T>(value: unknown): T {
  return revive(value, new Map()) as T
}

function encode(value: unknown, seen: Map<Error, number>): unknown {
  if (value instanceof Error) {
    const id = seen.get(value)
    if (id !== undefined) return { [wireErrorMark]: { id } }
    seen.set(value, seen.size)
    return { [wireErrorMark]: wireError(value, seen) }
  }
  if (Array.isArray(value)) return value.map((item) => encode(item, seen))
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, encode(item, seen)]))
  }
  return value
}

function wireError(error: Error, seen: Map<Error, number>): WireError {
  const id = seen.get(error) as number
  const fields: Record<string, unknown> = {}
  for (const [key, field] of Object.entries(error)) fields[key] = encode(field, seen)
  const cause = encode((error as { cause?: unknown }).cause, seen)
  return { id, name: error.name, message: error.message, stack: error.stack, fields, cause }
}

function revive(value: unknown, revived: Map<number, Error>): unknown {
  if (Array.isArray(value)) return value.map((item) => revive(item, revived))
  if (!isPlainObject(value)) return value
  const wire = value[wireErrorMark] as WireError | { id: number } | undefined
  if (wire !== undefined) return 'name' in wire ? reviveError(wire, revived) : revived.get(wire.id)
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, revive(item, revived)]))
}

function reviveError(wire: WireError, revived: Map<number, Error>): Error {
  const errorClass = errorClasses.get(wire.name)
  const prototype = errorClass?.prototype ?? ('code' in wire.fields ? AshSqliteError.prototype : Error.prototype)
  // Built without calling the constructor: constructors compose messages from arguments we no longer have.
  const error = Object.create(prototype) as Error
  revived.set(wire.id, error)
  const hidden = { writable: true, configurable: true, enumerable: false }
  Object.defineProperty(error, 'message', { ...hidden, value: wire.message })
  Object.defineProperty(error, 'stack', { ...hidden, value: wire.stack })
  if (wire.cause !== undefined) Object.defineProperty(error, 'cause', { ...hidden, value: revive(wire.cause, revived) })
  for (const [key, field] of Object.entries(wire.fields)) Object.assign(error, { [key]: revive(field, revived) })
  if (!Object.hasOwn(wire.fields, 'name') && wire.name !== error.name) {
    Object.defineProperty(error, 'name', { ...hidden, value: wire.name })
  }
  return error
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  const prototype = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}
