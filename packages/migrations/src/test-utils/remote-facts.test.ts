/**
 * Facts about @libsql/client 0.18 against a real sqld (0.24.32), over HTTP and WebSockets, that the migrator
 * relies on. Each test asserts what was observed, so an upgrade that changes the behaviour fails here first.
 * A `file:` block at the end records where local files behave differently.
 *
 * The short version:
 * - `client.execute()` runs each call on its own stream (its own server connection): BEGIN, pragmas and
 *   temp state do not carry over to the next call. `client.transaction()` is the only API that keeps one.
 * - A transaction object can be turned into a session with foreign keys off:
 *   `tx = await client.transaction('deferred'); await tx.executeMultiple('COMMIT; PRAGMA foreign_keys=OFF; BEGIN IMMEDIATE')`.
 *   Then statements run one by one (the failing one is known), `PRAGMA foreign_key_check` can veto before
 *   `tx.executeMultiple('COMMIT; PRAGMA foreign_keys=ON')` or `('ROLLBACK; PRAGMA foreign_keys=ON')`, then
 *   `tx.close()`. This works on http, ws and file: alike.
 * - sqld gives a waiting writer the lock after 5 s: the holder is rolled back with TRANSACTION_TIMEOUT.
 */

import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inspect } from 'node:util'
import { type Client, createClient, type Transaction } from '@libsql/client'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { findFreeLoopbackPort, type SqldServer, startSqld } from './sqld.js'

// What drizzle-kit emits for a parent-table rebuild, without its PRAGMA lines.
const rebuildParent = [
  "CREATE TABLE `__new_parent` (`id` integer PRIMARY KEY, `name` text DEFAULT 'x' NOT NULL)",
  'INSERT INTO `__new_parent`(`id`, `name`) SELECT `id`, `name` FROM `parent`',
  'DROP TABLE `parent`',
  'ALTER TABLE `__new_parent` RENAME TO `parent`',
]

const createFamily = [
  'DROP TABLE IF EXISTS child',
  'DROP TABLE IF EXISTS parent',
  'DROP TABLE IF EXISTS __new_parent',
  'DROP TABLE IF EXISTS log',
  'CREATE TABLE parent (id integer PRIMARY KEY, name text)',
  'CREATE TABLE child (id integer PRIMARY KEY, parent_id integer REFERENCES parent(id) ON DELETE CASCADE)',
  "INSERT INTO parent VALUES (1, 'a'), (2, 'b')",
  'INSERT INTO child VALUES (1, 1), (2, 1), (3, 2)',
  'CREATE TABLE log (entry text)',
]

/** The recipe: one stream/connection, foreign keys off before a write transaction. */
async function beginWithForeignKeysOff(client: Client): Promise<Transaction> {
  const tx = await client.transaction('deferred')
  await tx.executeMultiple('COMMIT; PRAGMA foreign_keys=OFF; BEGIN IMMEDIATE')
  return tx
}

async function scalar(runner: Client | Transaction, sql: string): Promise<unknown> {
  const result = await runner.execute(sql)
  const row = result.rows[0]
  return row === undefined ? undefined : row[0]
}

const childCount = (client: Client): Promise<unknown> => scalar(client, 'SELECT count(*) FROM child')
const parentSql = (client: Client): Promise<unknown> =>
  scalar(client, "SELECT sql FROM sqlite_master WHERE name = 'parent'")
const originalParentSql = 'CREATE TABLE parent (id integer PRIMARY KEY, name text)'

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** Everything a user could see of an error: message, stack, causes and own properties. */
function everythingAbout(error: unknown): string {
  return `${String(error)}\n${inspect(error, { depth: 10, showHidden: true })}`
}

describe.each(['http', 'ws'] as const)('@libsql/client 0.18 against sqld over %s', (transport) => {
  let server: SqldServer
  let url: string
  const clients: Client[] = []
  const connect = (): Client => {
    const client = createClient({ url })
    clients.push(client)
    return client
  }

  beforeAll(async () => {
    server = await startSqld()
    url = transport === 'http' ? server.url : server.wsUrl
  })
  afterAll(async () => {
    await server?.stop()
  })
  beforeEach(async () => {
    await connect().executeMultiple(createFamily.join(';\n'))
  })
  afterEach(() => {
    for (const client of clients.splice(0)) client.close()
  })

  describe('(a) streams', () => {
    it('execute() does not keep a stream: BEGIN IMMEDIATE, INSERT, COMMIT as three calls is no transaction', async () => {
      const client = connect()
      await client.execute('BEGIN IMMEDIATE')
      await client.execute("INSERT INTO log VALUES ('autocommitted')")
      await expect(client.execute('COMMIT')).rejects.toThrow(/cannot commit - no transaction is active/)
      await expect(client.execute('ROLLBACK')).rejects.toThrow(/cannot rollback - no transaction is active/)
      expect(await scalar(connect(), 'SELECT count(*) FROM log')).toBe(1)
    })

    it('closing a transaction object without COMMIT rolls back at once and frees the write lock', async () => {
      const client = connect()
      const tx = await beginWithForeignKeysOff(client)
      await tx.execute("INSERT INTO log VALUES ('never committed')")
      tx.close()
      await expect(tx.execute('SELECT 1')).rejects.toThrow(/transaction is closed/)
      const other = await connect().transaction('write')
      await other.execute("INSERT INTO log VALUES ('next writer')")
      await other.commit()
      expect((await connect().execute('SELECT entry FROM log')).rows.map((row) => row.entry)).toEqual(['next writer'])
    })
  })

  describe('(b) pragmas', () => {
    it('a fresh stream has foreign_keys=1, and execute(PRAGMA foreign_keys=OFF) is gone by the next call', async () => {
      const client = connect()
      expect(await scalar(client, 'PRAGMA foreign_keys')).toBe(1)
      await client.execute('PRAGMA foreign_keys=OFF')
      expect(await scalar(client, 'PRAGMA foreign_keys')).toBe(1)
    })

    it('execute(PRAGMA foreign_keys=OFF) does not reach a later transaction("write")', async () => {
      const client = connect()
      await client.execute('PRAGMA foreign_keys=OFF')
      const tx = await client.transaction('write')
      try {
        expect(await scalar(tx, 'PRAGMA foreign_keys')).toBe(1)
      } finally {
        await tx.rollback()
      }
    })

    it('inside transaction() PRAGMA foreign_keys=OFF is silently ignored (transaction() sends BEGIN first)', async () => {
      const tx = await connect().transaction('write')
      try {
        await tx.execute('PRAGMA foreign_keys=OFF')
        expect(await scalar(tx, 'PRAGMA foreign_keys')).toBe(1)
      } finally {
        await tx.rollback()
      }
    })

    it('sqld refuses some pragmas outright: PRAGMA busy_timeout is an SQL_PARSE_ERROR', async () => {
      await expect(connect().execute('PRAGMA busy_timeout=1000')).rejects.toMatchObject({
        code: 'SQL_PARSE_ERROR',
        message: expect.stringMatching(/unsupported statement: PRAGMA busy_timeout=1000/),
      })
    })
  })

  describe('(c) the pragma trap: rebuilding a parent table with ON DELETE CASCADE children', () => {
    const ways: Array<{ way: string; run: (client: Client) => Promise<unknown>; childrenLeft: number }> = [
      {
        way: 'transaction("write") (naive)',
        childrenLeft: 0,
        run: async (client) => {
          const tx = await client.transaction('write')
          for (const sql of rebuildParent) await tx.execute(sql)
          await tx.commit()
        },
      },
      {
        way: 'batch(["PRAGMA foreign_keys=OFF", ...], "write")',
        childrenLeft: 0,
        run: (client) => client.batch(['PRAGMA foreign_keys=OFF', ...rebuildParent], 'write'),
      },
      {
        way: 'execute("PRAGMA foreign_keys=OFF") then transaction("write")',
        childrenLeft: 0,
        run: async (client) => {
          await client.execute('PRAGMA foreign_keys=OFF')
          const tx = await client.transaction('write')
          for (const sql of rebuildParent) await tx.execute(sql)
          await tx.commit()
        },
      },
      {
        way: 'transaction("write") with PRAGMA defer_foreign_keys=ON',
        childrenLeft: 0,
        run: async (client) => {
          const tx = await client.transaction('write')
          await tx.execute('PRAGMA defer_foreign_keys=ON')
          for (const sql of rebuildParent) await tx.execute(sql)
          await tx.commit()
        },
      },
      {
        way: 'migrate(statements)',
        childrenLeft: 3,
        run: (client) => client.migrate(rebuildParent),
      },
      {
        way: 'executeMultiple("PRAGMA foreign_keys=OFF; BEGIN IMMEDIATE; …; COMMIT")',
        childrenLeft: 3,
        run: (client) =>
          client.executeMultiple(
            ['PRAGMA foreign_keys=OFF', 'BEGIN IMMEDIATE', ...rebuildParent, 'COMMIT'].join(';\n'),
          ),
      },
      {
        way: 'the recipe (beginWithForeignKeysOff)',
        childrenLeft: 3,
        run: async (client) => {
          const tx = await beginWithForeignKeysOff(client)
          for (const sql of rebuildParent) await tx.execute(sql)
          await tx.executeMultiple('COMMIT; PRAGMA foreign_keys=ON')
          tx.close()
        },
      },
    ]

    const cases = ways.map((way) => ({ ...way, outcome: `${way.childrenLeft} of 3 children left` }))
    it.each(cases)('$way: $outcome', async ({ run, childrenLeft }) => {
      const client = connect()
      await run(client)
      expect(await parentSql(client)).toBe(
        'CREATE TABLE "parent" (`id` integer PRIMARY KEY, `name` text DEFAULT \'x\' NOT NULL)',
      )
      expect(await childCount(client)).toBe(childrenLeft)
    })

    it('batch(["PRAGMA foreign_keys=OFF", "BEGIN", ..., "COMMIT"], "deferred") fails: batch() already began a transaction', async () => {
      const client = connect()
      await expect(
        client.batch(['PRAGMA foreign_keys=OFF', 'BEGIN', ...rebuildParent, 'COMMIT'], 'deferred'),
      ).rejects.toMatchObject({
        name: 'LibsqlBatchError',
        statementIndex: 1,
        message: expect.stringMatching(/cannot start a transaction within a transaction/),
      })
      expect(await parentSql(client)).toBe(originalParentSql)
      expect(await childCount(client)).toBe(3)
    })
  })

  describe('(d) PRAGMA foreign_key_check', () => {
    it('works inside the recipe: foreign_keys=0 there, violations are reported before COMMIT, ROLLBACK undoes all', async () => {
      const client = connect()
      const tx = await beginWithForeignKeysOff(client)
      expect(await scalar(tx, 'PRAGMA foreign_keys')).toBe(0)
      for (const sql of rebuildParent) await tx.execute(sql)
      await tx.execute('DELETE FROM parent WHERE id = 2')
      const check = await tx.execute('PRAGMA foreign_key_check')
      expect(check.columns).toEqual(['table', 'rowid', 'parent', 'fkid'])
      expect(check.rows.map((row) => ({ ...row }))).toEqual([{ table: 'child', rowid: 3, parent: 'parent', fkid: 0 }])
      await tx.executeMultiple('ROLLBACK; PRAGMA foreign_keys=ON')
      tx.close()

      expect(await parentSql(client)).toBe(originalParentSql)
      expect(await scalar(client, 'SELECT count(*) FROM parent')).toBe(2)
      expect(await childCount(client)).toBe(3)
    })

    it('is also a table-valued function, pragma_foreign_key_check', async () => {
      const tx = await beginWithForeignKeysOff(connect())
      await tx.execute('DELETE FROM parent WHERE id = 1')
      expect(await scalar(tx, 'SELECT count(*) FROM pragma_foreign_key_check')).toBe(2)
      await tx.executeMultiple('ROLLBACK; PRAGMA foreign_keys=ON')
      tx.close()
    })

    it('cannot veto inside migrate(): its rows come back after COMMIT, the orphan is already committed', async () => {
      const client = connect()
      const results = await client.migrate([
        'PRAGMA foreign_keys',
        ...rebuildParent,
        'DELETE FROM parent WHERE id = 2',
        'PRAGMA foreign_key_check',
      ])
      expect(results[0]?.rows[0]?.[0]).toBe(0)
      expect(results.at(-1)?.rows.length).toBe(1)
      expect(await scalar(client, 'SELECT count(*) FROM child WHERE parent_id NOT IN (SELECT id FROM parent)')).toBe(1)
    })

    it('a failing statement inside the recipe leaves the transaction open; ROLLBACK undoes the earlier ones', async () => {
      const client = connect()
      const tx = await beginWithForeignKeysOff(client)
      await tx.execute("INSERT INTO log VALUES ('first')")
      await expect(tx.execute("INSERT INTO parent VALUES (1, 'duplicate')")).rejects.toMatchObject({
        code: 'SQLITE_CONSTRAINT',
        message: expect.stringMatching(/UNIQUE constraint failed: parent\.id/),
      })
      expect(tx.closed).toBe(false)
      expect(await scalar(tx, 'SELECT count(*) FROM log')).toBe(1)
      await tx.executeMultiple('ROLLBACK; PRAGMA foreign_keys=ON')
      tx.close()
      expect(await scalar(client, 'SELECT count(*) FROM log')).toBe(0)
    })
  })

  describe('(e) concurrent writers', () => {
    it('a second BEGIN IMMEDIATE waits until the first writer commits, then proceeds', async () => {
      const first = await beginWithForeignKeysOff(connect())
      await first.execute("INSERT INTO log VALUES ('first')")
      let firstCommitted = false

      const secondClient = connect()
      const second = secondClient.transaction('deferred').then(async (tx) => {
        await tx.executeMultiple('COMMIT; PRAGMA foreign_keys=OFF; BEGIN IMMEDIATE')
        const sawFirstCommitted = firstCommitted
        await tx.execute("INSERT INTO log VALUES ('second')")
        await tx.executeMultiple('COMMIT; PRAGMA foreign_keys=ON')
        tx.close()
        return sawFirstCommitted
      })
      await delay(300)
      firstCommitted = true
      await first.executeMultiple('COMMIT; PRAGMA foreign_keys=ON')
      first.close()

      expect(await second).toBe(true)
      expect((await connect().execute('SELECT entry FROM log ORDER BY rowid')).rows.map((row) => row.entry)).toEqual([
        'first',
        'second',
      ])
    })

    it('after 5 s of waiting, sqld gives the lock to the waiter and rolls the holder back (TRANSACTION_TIMEOUT)', async () => {
      const holder = await beginWithForeignKeysOff(connect())
      await holder.execute("INSERT INTO log VALUES ('holder')")

      const waiter = await beginWithForeignKeysOff(connect())
      await waiter.execute("INSERT INTO log VALUES ('waiter')")
      await waiter.executeMultiple('COMMIT; PRAGMA foreign_keys=ON')
      waiter.close()

      await expect(holder.execute("INSERT INTO log VALUES ('holder again')")).rejects.toMatchObject({
        code: 'TRANSACTION_TIMEOUT',
      })
      await expect(holder.execute('COMMIT')).rejects.toThrow(/cannot commit - no transaction is active/)
      holder.close()
      expect((await connect().execute('SELECT entry FROM log')).rows.map((row) => row.entry)).toEqual(['waiter'])
    }, 30_000)

    it('a writer nobody waits for may hold the lock longer than 5 s', async () => {
      const holder = await beginWithForeignKeysOff(connect())
      await holder.execute("INSERT INTO log VALUES ('slow')")
      await delay(6_000)
      await holder.execute("INSERT INTO log VALUES ('still mine')")
      await holder.executeMultiple('COMMIT; PRAGMA foreign_keys=ON')
      holder.close()
      expect(await scalar(connect(), 'SELECT count(*) FROM log')).toBe(2)
    }, 30_000)
  })
})

describe('(f) auth tokens in errors', () => {
  const secret = 'SECRET-TOKEN-must-not-leak'
  let server: SqldServer
  const clients: Client[] = []
  const connect = (url: string, authToken?: string): Client => {
    const client = createClient(authToken === undefined ? { url } : { url, authToken })
    clients.push(client)
    return client
  }
  const failureOf = (promise: Promise<unknown>): Promise<unknown> =>
    promise.then(
      () => {
        throw new Error('expected a failure')
      },
      (error: unknown) => error,
    )

  beforeAll(async () => {
    server = await startSqld({ auth: true })
  })
  afterAll(async () => {
    await server?.stop()
  })
  afterEach(() => {
    for (const client of clients.splice(0)) client.close()
  })

  it('a wrong token is reported as HTTP 401 over http, without the token', async () => {
    for (const client of [connect(server.url, secret), connect(`${server.url}?authToken=${secret}`)]) {
      const error = await failureOf(client.execute('SELECT 1'))
      expect(error).toMatchObject({ code: 'SERVER_ERROR', message: 'SERVER_ERROR: Server returned HTTP status 401' })
      expect(everythingAbout(error)).not.toContain(secret)
    }
  })

  it('a wrong token over ws fails with AUTH_JWT_INVALID or, racing it, a closed socket (1006); no token', async () => {
    // Which of the two arrives first varies from run to run (about 1 in 4 is AUTH_JWT_INVALID here).
    const possible = [
      { code: 'AUTH_JWT_INVALID', message: 'AUTH_JWT_INVALID: Authentication failed: The JWT is invalid' },
      { code: 'HRANA_WEBSOCKET_ERROR', message: 'HRANA_WEBSOCKET_ERROR: WebSocket was closed with code 1006' },
    ]
    for (const client of [connect(server.wsUrl, secret), connect(`${server.wsUrl}?authToken=${secret}`)]) {
      const error = (await failureOf(client.execute('SELECT 1'))) as { code?: string; message?: string }
      expect(possible).toContainEqual({ code: error.code, message: error.message })
      expect(everythingAbout(error)).not.toContain(secret)
    }
  })

  it('the right token works, in the authToken option or in the URL', async () => {
    const token = server.authToken ?? ''
    for (const base of [server.url, server.wsUrl]) {
      expect(await scalar(connect(base, token), 'SELECT 1')).toBe(1)
      expect(await scalar(connect(`${base}?authToken=${token}`), 'SELECT 1')).toBe(1)
    }
  })

  it('an unreachable server: http fails with a raw TypeError "fetch failed", ws with HRANA_WEBSOCKET_ERROR; no token', async () => {
    const closedPort = await findFreeLoopbackPort()
    const httpError = await failureOf(connect(`http://127.0.0.1:${closedPort}?authToken=${secret}`).execute('SELECT 1'))
    expect(httpError).toBeInstanceOf(TypeError)
    expect(httpError).toMatchObject({ message: 'fetch failed', cause: { code: 'ECONNREFUSED' } })
    expect(everythingAbout(httpError)).not.toContain(secret)

    const wsError = await failureOf(connect(`ws://127.0.0.1:${closedPort}`, secret).execute('SELECT 1'))
    expect(wsError).toMatchObject({
      code: 'HRANA_WEBSOCKET_ERROR',
      message: `HRANA_WEBSOCKET_ERROR: connect ECONNREFUSED 127.0.0.1:${closedPort}`,
    })
    expect(everythingAbout(wsError)).not.toContain(secret)
  })

  it('a malformed URL is rejected by createClient() without echoing it', async () => {
    const error = await failureOf(
      Promise.resolve().then(() => createClient({ url: `http://[oops?authToken=${secret}` })),
    )
    expect(error).toMatchObject({ code: 'URL_INVALID' })
    expect(everythingAbout(error)).not.toContain(secret)
  })
})

describe('file: URLs, for contrast', () => {
  let dir: string
  let url: string
  const clients: Client[] = []
  const connect = (): Client => {
    const client = createClient({ url })
    clients.push(client)
    return client
  }

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ash-sqlite-facts-'))
    url = `file:${join(dir, 'facts.db')}`
    await connect().executeMultiple(createFamily.join(';\n'))
  })
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('execute() does not keep a transaction either (connections are pooled and rolled back on release)', async () => {
    const client = connect()
    await client.execute('BEGIN IMMEDIATE')
    await client.execute("INSERT INTO log VALUES ('autocommitted')")
    await expect(client.execute('COMMIT')).rejects.toThrow(/cannot commit - no transaction is active/)
    expect(await scalar(connect(), 'SELECT count(*) FROM log')).toBe(1)
  })

  it('the recipe keeps the children and lets foreign_key_check veto, as on sqld', async () => {
    const client = connect()
    const tx = await beginWithForeignKeysOff(client)
    expect(await scalar(tx, 'PRAGMA foreign_keys')).toBe(0)
    for (const sql of rebuildParent) await tx.execute(sql)
    expect((await tx.execute('PRAGMA foreign_key_check')).rows).toEqual([])
    await tx.executeMultiple('COMMIT; PRAGMA foreign_keys=ON')
    tx.close()
    expect(await childCount(client)).toBe(3)
    // The pooled connection went back with foreign keys on again.
    expect(await scalar(client, 'PRAGMA foreign_keys')).toBe(1)
  })

  it('a COMMIT sent with tx.execute() closes the transaction object (so the recipe uses executeMultiple)', async () => {
    const tx = await connect().transaction('deferred')
    await tx.execute('COMMIT')
    await expect(tx.execute('PRAGMA foreign_keys=OFF')).rejects.toMatchObject({ code: 'TRANSACTION_CLOSED' })
    tx.close()
  })

  it('a second writer in the same process gets SQLITE_BUSY at once: there is no busy timeout by default', async () => {
    const holder = await beginWithForeignKeysOff(connect())
    await expect(beginWithForeignKeysOff(connect())).rejects.toMatchObject({ code: 'SQLITE_BUSY' })
    await holder.executeMultiple('ROLLBACK; PRAGMA foreign_keys=ON')
    holder.close()
  })

  it('busy_timeout waits synchronously: the holder in the same process cannot commit meanwhile', async () => {
    const holder = await beginWithForeignKeysOff(connect())
    let holderCommitted = false
    const commitSoon = delay(20).then(async () => {
      holderCommitted = true
      await holder.executeMultiple('COMMIT; PRAGMA foreign_keys=ON')
      holder.close()
    })
    const waiter = await connect().transaction('deferred')
    const outcome = await waiter
      .executeMultiple('COMMIT; PRAGMA foreign_keys=OFF; PRAGMA busy_timeout=300; BEGIN IMMEDIATE')
      .then(
        () => 'began',
        (error: { code?: string }) => error.code,
      )
    // The event loop was blocked for the whole timeout, so the scheduled commit never ran in between.
    expect({ outcome, holderCommitted }).toEqual({ outcome: 'SQLITE_BUSY', holderCommitted: false })
    waiter.close()
    await commitSoon
  })
})
