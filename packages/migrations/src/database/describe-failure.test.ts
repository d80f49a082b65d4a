import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createClient } from '@libsql/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { UsageError } from '../errors.js'
import { createTempDir, type TempDir } from '../test-utils/migration-fixtures.js'
import { findFreeLoopbackPort } from '../test-utils/sqld.js'
import { describeDatabaseFailure } from './describe-failure.js'
import { DatabaseError } from './errors.js'

let temp: TempDir
beforeAll(async () => {
  temp = await createTempDir()
})
afterAll(async () => {
  await temp?.remove()
})

async function failureOf(url: string, sql = 'SELECT 1'): Promise<unknown> {
  const client = createClient({ url })
  try {
    await client.execute(sql)
  } catch (error) {
    return error
  } finally {
    client.close()
  }
  throw new Error('expected a failure')
}

describe('describeDatabaseFailure', () => {
  it('passes our own errors through', () => {
    const usage = new UsageError('bad')
    expect(describeDatabaseFailure(usage, { name: 'main', url: 'file:a.db', displayUrl: 'file:a.db' })).toBe(usage)
  })

  it('names a file that is not a database (SQLITE_NOTADB)', async () => {
    const path = join(temp.path, 'garbage.db')
    await writeFile(path, 'not a database\n'.repeat(100))
    const raw = await failureOf(`file:${path}`, 'SELECT count(*) FROM sqlite_master')
    expect(raw).toMatchObject({ code: 'SQLITE_NOTADB' })
    const error = describeDatabaseFailure(raw, { name: 't1', url: 'file:garbage.db', displayUrl: 'file:garbage.db' })
    expect(error).toBeInstanceOf(DatabaseError)
    expect(error).toMatchObject({ reason: 'not_a_database', cause: raw })
    expect(error.message).toMatch(/^Database t1 \(file:garbage\.db\): the file is not a database \(SQLITE_NOTADB\)/)
  })

  it('turns "fetch failed" into an unreachable database, without the token', async () => {
    const port = await findFreeLoopbackPort()
    const url = `http://127.0.0.1:${port}?authToken=SECRET-TOKEN`
    const raw = await failureOf(url)
    expect(raw).toBeInstanceOf(TypeError)
    const error = describeDatabaseFailure(raw, { name: 'remote', url, displayUrl: `http://127.0.0.1:${port}` })
    expect(error).toMatchObject({ reason: 'unreachable' })
    expect(error.message).toBe(
      `Cannot reach database remote at http://127.0.0.1:${port}: connection refused (ECONNREFUSED). Is the server running, and are the host and port right?`,
    )
  })

  it('keeps the raw message of anything else, with every secret of the target redacted', () => {
    const raw = new Error('boom near ADMIN-KEY-123 and TOKEN-456')
    const error = describeDatabaseFailure(raw, {
      name: 't2',
      url: 'http://localhost:1/dev/t2/',
      authToken: 'TOKEN-456',
      admin: { url: 'http://127.0.0.1:2', authToken: 'ADMIN-KEY-123' },
      displayUrl: 'http://localhost:1/dev/t2/',
    })
    expect(error.message).toBe('Database t2 (http://localhost:1/dev/t2/): boom near *** and ***')
    expect((error as DatabaseError).reason).toBeUndefined()
    expect(String((error.cause as Error).message)).toBe('boom near *** and ***')
  })
})
