import { describe, expect, it } from 'vitest'
import { DatabaseError } from '../database/errors.js'
import { AshSqliteError } from '../errors.js'
import { ForeignKeyViolationError, MigrationFailedError } from './errors.js'
import { fromWire, toWire } from './thread-wire.js'

/** What the worker sends and the main thread receives: a structured clone of `toWire`'s output. */
const acrossThreads = <T>(value: T): T => fromWire<T>(structuredClone(toWire(value)))

describe('thread-wire', () => {
  it('keeps the class, message, fields and cause of an error, and shared errors stay one object', () => {
    const cause = Object.assign(new Error('SQLITE_ERROR: no such table: nosuch'), { code: 'SQLITE_ERROR' })
    const failure = new MigrationFailedError(
      {
        migrationName: '20260101000000_x',
        direction: 'up',
        statementIndex: 1,
        statementCount: 2,
        statement: 'INSERT INTO nosuch VALUES (1)',
        reason: cause.message,
      },
      { cause },
    )
    const outcome = { results: [{ status: 'error', error: failure }], warnings: ['w'], error: failure }
    const received = acrossThreads(outcome)

    expect(received.error).toBeInstanceOf(MigrationFailedError)
    expect(received.error).toBeInstanceOf(AshSqliteError)
    expect(received.results[0]?.error).toBe(received.error)
    expect(received.error).toMatchObject({
      name: 'MigrationFailedError',
      code: 'migration_failed',
      exitCode: 1,
      migrationName: '20260101000000_x',
      statementIndex: 1,
      message: failure.message,
    })
    expect(received.error.stack).toBe(failure.stack)
    expect(received.error.cause).toBeInstanceOf(Error)
    expect(received.error.cause).toMatchObject({ message: cause.message, code: 'SQLITE_ERROR' })
    expect(Object.keys(received.error)).toEqual(Object.keys(failure))
    expect(received.warnings).toEqual(['w'])
  })

  it('keeps structured fields and the optional reason of database errors', () => {
    const violation = new ForeignKeyViolationError('m', 'down', [
      { table: 'posts', rowid: 3, parent: 'users', fkid: 0 },
    ])
    const unreachable = new DatabaseError('Cannot reach database t1', { reason: 'unreachable' })
    const [first, second] = acrossThreads([violation, unreachable])
    expect(first).toBeInstanceOf(ForeignKeyViolationError)
    expect(first?.violations).toEqual([{ table: 'posts', rowid: 3, parent: 'users', fkid: 0 }])
    expect(second).toBeInstanceOf(DatabaseError)
    expect(second).toMatchObject({ reason: 'unreachable', code: 'database_error' })
  })

  it('falls back to AshSqliteError or Error for classes it does not know, keeping the name', () => {
    class Unlisted extends AshSqliteError {
      override name = 'Unlisted'
    }
    const [ours, theirs] = acrossThreads([new Unlisted('x_code', 'ours'), new RangeError('theirs')])
    expect(ours).toBeInstanceOf(AshSqliteError)
    expect(ours).toMatchObject({ name: 'Unlisted', code: 'x_code', message: 'ours' })
    expect(theirs).toBeInstanceOf(Error)
    expect(theirs).toMatchObject({ name: 'RangeError', message: 'theirs' })
  })
})
