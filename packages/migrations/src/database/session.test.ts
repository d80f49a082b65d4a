import { access } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTempDir, singleRepoConfig, type TempDir } from '../test-utils/migration-fixtures.js'
import { queryRows, withDb } from '../test-utils/sqlite-file.js'
import { LockTimeoutError } from './errors.js'
import { type DatabaseSession, openSession } from './session.js'
import { type ResolvedDatabase, resolveDatabases } from './targets.js'

let temp: TempDir
let database: ResolvedDatabase
const sessions: DatabaseSession[] = []

async function open(options: { lockTimeoutMs?: number } = {}): Promise<DatabaseSession> {
  const session = await openSession(database, { create: true, ...options })
  if (session === null) throw new Error('expected a session')
  sessions.push(session)
  return session
}

beforeEach(async () => {
  temp = await createTempDir()
  const [entry] = await resolveDatabases(singleRepoConfig(temp.path))
  if (entry?.kind !== 'database') throw new Error('expected a database')
  database = entry.database
})

afterEach(async () => {
  for (const session of sessions.splice(0)) session.close()
  await temp.remove()
})

describe('openSession', () => {
  it('does not create a missing file unless asked to', async () => {
    expect(await openSession(database, { create: false })).toBeNull()
    await expect(access(join(temp.path, 'main.db'))).rejects.toThrow()
    await open()
    await access(join(temp.path, 'main.db'))
  })

  it('names the database and hints at `create` when the folder does not exist', async () => {
    const [entry] = await resolveDatabases(singleRepoConfig(temp.path, 'file:no/such/dir/main.db'))
    if (entry?.kind !== 'database') throw new Error('expected a database')
    await expect(openSession(entry.database, { create: true })).rejects.toThrow(
      /^Cannot open database file:no\/such\/dir\/main\.db: .*Does its folder exist\? `ash-sqlite create` creates it\.$/,
    )
  })
})

describe('writeTransaction', () => {
  it('runs with foreign keys off, commits, and restores the previous setting', async () => {
    const session = await open()
    const seen = await session.writeTransaction(async (tx) => {
      const [row] = await tx.query('PRAGMA foreign_keys')
      await tx.query('CREATE TABLE t (x integer)')
      return row?.[0]
    })
    expect(seen).toBe(0)
    expect((await session.query('PRAGMA foreign_keys'))[0]?.[0]).toBe(1)
    expect(await queryRows(join(temp.path, 'main.db'), "SELECT name FROM sqlite_master WHERE name = 't'")).toEqual([
      { name: 't' },
    ])
  })

  it('rolls back and rethrows when the work throws, restoring foreign keys', async () => {
    const session = await open()
    await session.query('CREATE TABLE t (x integer)')
    await expect(
      session.writeTransaction(async (tx) => {
        await tx.query('INSERT INTO t VALUES (1)')
        await tx.query('INSERT INTO nowhere VALUES (1)')
      }),
    ).rejects.toThrow(/no such table: nowhere/)
    expect(await queryRows(join(temp.path, 'main.db'), 'SELECT count(*) AS n FROM t')).toEqual([{ n: 0 }])
    expect((await session.query('PRAGMA foreign_keys'))[0]?.[0]).toBe(1)
  })

  it('waits for another writer and gives up with LockTimeoutError after lockTimeoutMs', async () => {
    const holder = await open()
    const waiter = await open({ lockTimeoutMs: 150 })
    let release: () => void = () => undefined
    const released = new Promise<void>((resolve) => {
      release = resolve
    })
    const holding = holder.writeTransaction(async () => {
      await released
    })
    await expect(waiter.writeTransaction(async () => 'never')).rejects.toBeInstanceOf(LockTimeoutError)
    release()
    await holding
    // Once the lock is free the waiter gets it.
    expect(await waiter.writeTransaction(async () => 'mine')).toBe('mine')
  })

  it('another connection cannot write while a write transaction is open (BEGIN IMMEDIATE)', async () => {
    const session = await open()
    await session.query('CREATE TABLE t (x integer)')
    await session.writeTransaction(async () => {
      await withDb(join(temp.path, 'main.db'), async (db) => {
        await expect(db.execute('INSERT INTO t VALUES (1)')).rejects.toMatchObject({ code: 'SQLITE_BUSY' })
      })
    })
  })
})
