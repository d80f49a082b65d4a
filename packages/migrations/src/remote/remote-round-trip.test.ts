/**
 * generate -> migrate -> rollback -> status against a real libSQL server (sqld) over HTTP and WebSockets,
 * with auth: the same results as for files, including the cases that need care remotely (a parent-table
 * rebuild with cascading children, a failing statement, a foreign key check that vetoes, bad tokens,
 * a server that is not there).
 */
import { cp } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createDatabases, dropDatabases } from '../database/create-drop.js'
import { DatabaseError } from '../database/errors.js'
import { familySeed, generateRepoMigrations } from '../fleet/__fixtures__/family-repo.js'
import { ForeignKeyViolationError, MigrationFailedError } from '../migrator/errors.js'
import { migrate } from '../migrator/migrate.js'
import { rollback } from '../migrator/rollback.js'
import { status } from '../migrator/status.js'
import { buildConfig, createTempDir, type TempDir, writeMigration } from '../test-utils/migration-fixtures.js'
import { findFreeLoopbackPort, type SqldServer, startSqld } from '../test-utils/sqld.js'
import { everythingIn, onServer, remoteRows, remoteScalar, remoteTables, wipe } from './__fixtures__/remote-client.js'

let server: SqldServer
let temp: TempDir
let generated: string[]
beforeAll(async () => {
  ;[server, temp] = await Promise.all([startSqld({ auth: true }), createTempDir()])
  generated = await generateRepoMigrations(temp.path, 'main')
})
afterAll(async () => {
  await server?.stop()
  await temp?.remove()
})

const statuses = (result: Awaited<ReturnType<typeof migrate>>): string[] =>
  result.databases.flatMap((database) => database.results.map((entry) => `${entry.migrationName}:${entry.status}`))

describe.each(['http', 'ws'] as const)('a remote database over %s', (transport) => {
  const url = (): string => (transport === 'http' ? server.url : server.wsUrl)
  const token = (): string | undefined => server.authToken
  const config = () => buildConfig(temp.path, [{ name: 'main', url: url(), authToken: token() }])

  beforeEach(async () => {
    await wipe(url(), token())
  })

  it('migrates step by step, keeps cascading children through parent rebuilds both ways, rolls back to nothing', async () => {
    expect(statuses(await migrate(config(), { step: 1 }))).toEqual([`${generated[0]}:success`])
    await onServer(url(), token(), (client) => client.executeMultiple(familySeed.join(';\n')))

    const rest = await migrate(config())
    expect(rest.ok).toBe(true)
    expect(statuses(rest)).toEqual([`${generated[1]}:success`, `${generated[2]}:success`])
    // Step 3 rebuilt `users` (name became NOT NULL): every post survived, and the NULL name took the default.
    expect(await remoteScalar(url(), token(), 'SELECT count(*) FROM posts')).toBe(3)
    expect(await remoteRows(url(), token(), 'SELECT id, name FROM users ORDER BY id')).toEqual([
      { id: 'u1', name: 'Ada' },
      { id: 'u2', name: 'anonymous' },
    ])
    expect(await remoteScalar(url(), token(), "SELECT sql FROM sqlite_master WHERE name = 'users'")).toMatch(
      /`name` text DEFAULT 'anonymous' NOT NULL/,
    )

    const states = (await status(config())).databases[0]?.migrations.map((entry) => entry.state)
    expect(states).toEqual(['applied', 'applied', 'applied'])

    // down.sql of step 3 rebuilds `users` again, back to a nullable name.
    expect(statuses(await rollback(config()))).toEqual([`${generated[2]}:success`])
    expect(await remoteScalar(url(), token(), 'SELECT count(*) FROM posts')).toBe(3)

    expect(statuses(await rollback(config(), { all: true }))).toEqual([
      `${generated[1]}:success`,
      `${generated[0]}:success`,
    ])
    expect(await remoteTables(url(), token())).toEqual(['__drizzle_migrations'])
    expect(await remoteScalar(url(), token(), 'SELECT count(*) FROM __drizzle_migrations')).toBe(0)
  })

  it('rolls a failing migration back on the server, names the statement, and a rerun finishes after the fix', async () => {
    const repoDir = join(temp.path, 'failing', 'migrations', 'main')
    const failing = buildConfig(join(temp.path, 'failing'), [{ name: 'main', url: url(), authToken: token() }])
    await writeMigration(repoDir, '20260101000000_extra', {
      up: ['CREATE TABLE extra (id integer);', 'INSERT INTO nosuch VALUES (1);'],
    })
    const result = await migrate(failing)
    expect(result.ok).toBe(false)
    const [failed] = result.databases[0]?.results ?? []
    expect(failed?.status).toBe('error')
    expect(failed?.statementIndex).toBe(1)
    expect(failed?.error).toBeInstanceOf(MigrationFailedError)
    expect(failed?.error?.message).toMatch(/failed at statement 2 of 2 and was rolled back: .*no such table: nosuch/)
    expect(await remoteTables(url(), token())).toEqual(['__drizzle_migrations'])

    await writeMigration(repoDir, '20260101000000_extra', { up: ['CREATE TABLE extra (id integer);'] })
    expect(statuses(await migrate(failing))).toEqual(['20260101000000_extra:success'])
    expect(await remoteTables(url(), token())).toEqual(['__drizzle_migrations', 'extra'])
  })

  it('lets PRAGMA foreign_key_check veto a migration that would orphan rows, before COMMIT', async () => {
    await migrate(config(), { step: 1 })
    await onServer(url(), token(), (client) => client.executeMultiple(familySeed.join(';\n')))
    const orphaning = join(temp.path, `orphaning-${transport}`)
    const repoDir = join(orphaning, 'migrations', 'main')
    await cp(join(temp.path, 'migrations', 'main', generated[0] as string), join(repoDir, generated[0] as string), {
      recursive: true,
    })
    await writeMigration(repoDir, '20260301000000_drop_user', { up: ["DELETE FROM users WHERE id = 'u2';"] })
    const result = await migrate(buildConfig(orphaning, [{ name: 'main', url: url(), authToken: token() }]))
    const [vetoed] = result.databases[0]?.results ?? []
    expect(vetoed?.status).toBe('error')
    expect(vetoed?.error).toBeInstanceOf(ForeignKeyViolationError)
    expect(vetoed?.error?.message).toMatch(/1 foreign key violation\(s\): posts rowid 3 -> users/)
    expect(await remoteScalar(url(), token(), 'SELECT count(*) FROM users')).toBe(2)
  })
})

describe('secrets and unreachable servers', () => {
  const secret = 'SECRET-TOKEN-must-not-leak'

  it('reports a rejected token as such, without the token, whether it is an option or in the URL', async () => {
    for (const config of [
      buildConfig(temp.path, [{ name: 'main', url: server.url, authToken: secret }]),
      buildConfig(temp.path, [{ name: 'main', url: `${server.url}?authToken=${secret}` }]),
    ]) {
      for (const result of [await migrate(config), await status(config), await rollback(config)]) {
        expect(result.ok).toBe(false)
        const error = result.databases[0]?.error
        expect(error).toBeInstanceOf(DatabaseError)
        expect(error).toMatchObject({ code: 'database_error', reason: 'unauthorized' })
        expect(error?.message).toBe(
          `Database main (${server.url}) refused the credentials (HTTP 401): check its authToken (a token signed for this server, not expired, allowed to write).`,
        )
        expect(everythingIn(result)).not.toContain(secret)
      }
    }
  })

  it.each(['http', 'ws'] as const)('maps an unreachable %s server to a clear error per database', async (scheme) => {
    const closedPort = await findFreeLoopbackPort()
    const url = `${scheme}://127.0.0.1:${closedPort}`
    const config = buildConfig(temp.path, [{ name: 'main', url: `${url}?authToken=${secret}` }])
    for (const result of [await migrate(config), await status(config)]) {
      const error = result.databases[0]?.error
      expect(error).toMatchObject({ code: 'database_error', reason: 'unreachable' })
      expect(error?.message).toBe(
        `Cannot reach database main at ${url}: connection refused (ECONNREFUSED). Is the server running, and are the host and port right?`,
      )
      expect(everythingIn(result)).not.toContain(secret)
    }
  })

  it('does not create or drop a remote database that is not a namespace with an admin API', async () => {
    const config = buildConfig(temp.path, [{ name: 'main', url: server.url, authToken: secret }])
    for (const result of [await createDatabases(config), await dropDatabases(config)]) {
      expect(result.ok).toBe(true)
      expect(result.databases[0]).toMatchObject({ status: 'unsupported', url: server.url })
      expect(everythingIn(result)).not.toContain(secret)
    }
  })
})
