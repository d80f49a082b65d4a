/**
 * A light check that the migrator keeps its semantics on a real libSQL server (sqld) over HTTP and
 * WebSockets: table rebuilds keep cascading children, failures roll back, auth tokens never show.
 * Fleets of sqld namespaces and concurrency against sqld are tested with the remote support.
 */
import { join } from 'node:path'
import { type Client, createClient } from '@libsql/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  buildConfig,
  createTempDir,
  singleRepoConfig,
  type TempDir,
  writeMigration,
} from '../test-utils/migration-fixtures.js'
import { type SqldServer, startSqld } from '../test-utils/sqld.js'
import { migrate } from './migrate.js'
import { rollback } from './rollback.js'
import { status } from './status.js'

let server: SqldServer
let temp: TempDir
beforeAll(async () => {
  server = await startSqld({ auth: true })
  temp = await createTempDir()
})
afterAll(async () => {
  await server?.stop()
  await temp?.remove()
})

async function onServer<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = createClient({ url, authToken: server.authToken })
  try {
    return await work(client)
  } finally {
    client.close()
  }
}

const rebuildParent = (nameColumn: string): string[] => [
  'PRAGMA foreign_keys=OFF;',
  `CREATE TABLE \`__new_parent\` (\`id\` integer PRIMARY KEY, ${nameColumn});`,
  "INSERT INTO `__new_parent`(`id`, `name`) SELECT `id`, coalesce(`name`, 'x') FROM `parent`;",
  'DROP TABLE `parent`;',
  'ALTER TABLE `__new_parent` RENAME TO `parent`;',
  'PRAGMA foreign_keys=ON;',
]

describe.each(['http', 'ws'] as const)('against sqld over %s', (transport) => {
  it('migrates, keeps cascading children through a rebuild, rolls back, and reports status', async () => {
    const url = transport === 'http' ? server.url : server.wsUrl
    const repoDir = join(temp.path, transport, 'migrations', 'main')
    const withToken = buildConfig(join(temp.path, transport), [{ name: 'main', url, authToken: server.authToken }])
    await onServer(url, (client) =>
      client.executeMultiple(
        'DROP TABLE IF EXISTS child; DROP TABLE IF EXISTS parent; DROP TABLE IF EXISTS __drizzle_migrations;',
      ),
    )
    await writeMigration(repoDir, '20260101000000_family', {
      up: [
        'CREATE TABLE parent (id integer PRIMARY KEY, name text);',
        'CREATE TABLE child (id integer PRIMARY KEY, parent_id integer REFERENCES parent(id) ON DELETE CASCADE);',
        "INSERT INTO parent VALUES (1, 'a'), (2, NULL);",
        'INSERT INTO child VALUES (10, 1), (11, 2);',
      ],
      down: ['DROP TABLE child;', 'DROP TABLE parent;'],
    })
    await writeMigration(repoDir, '20260102000000_tighten', {
      up: rebuildParent("`name` text DEFAULT 'x' NOT NULL"),
      down: rebuildParent('`name` text'),
    })

    const up = await migrate(withToken)
    expect(up.databases[0]?.error).toBeUndefined()
    expect(up.databases[0]?.results.map((result) => result.status)).toEqual(['success', 'success'])
    expect(
      await onServer(url, async (client) => (await client.execute('SELECT count(*) FROM child')).rows[0]?.[0]),
    ).toBe(2)

    const down = await rollback(withToken)
    expect(down.databases[0]?.results.map((result) => `${result.migrationName}:${result.status}`)).toEqual([
      '20260102000000_tighten:success',
    ])
    expect(
      await onServer(url, async (client) => (await client.execute('SELECT count(*) FROM child')).rows[0]?.[0]),
    ).toBe(2)

    await writeMigration(repoDir, '20260103000000_broken', {
      up: ['CREATE TABLE extra (id integer);', 'INSERT INTO nosuch VALUES (1);'],
    })
    const failing = await migrate(withToken)
    expect(failing.databases[0]?.results.map((result) => `${result.migrationName}:${result.status}`)).toEqual([
      '20260102000000_tighten:success',
      '20260103000000_broken:error',
    ])
    expect(failing.databases[0]?.results[1]?.statementIndex).toBe(1)
    const tables = await onServer(url, async (client) =>
      (await client.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")).rows.map(
        (row) => row.name,
      ),
    )
    expect(tables).toEqual(['__drizzle_migrations', 'child', 'parent'])

    const states = (await status(withToken)).databases[0]?.migrations.map((entry) => `${entry.name}:${entry.state}`)
    expect(states).toEqual([
      '20260101000000_family:applied',
      '20260102000000_tighten:applied',
      '20260103000000_broken:pending',
    ])
  })

  it('never shows the auth token, in the URL or the option, when it is rejected', async () => {
    const secret = 'SECRET-TOKEN-must-not-leak'
    const base = transport === 'http' ? server.url : server.wsUrl
    for (const config of [
      singleRepoConfig(temp.path, `${base}?authToken=${secret}`),
      buildConfig(temp.path, [{ name: 'main', url: base, authToken: secret }]),
    ]) {
      const result = await migrate(config)
      expect(result.ok).toBe(false)
      expect(result.databases[0]?.url).toBe(base)
      const everything = JSON.stringify(result, (_key, value) =>
        value instanceof Error ? { message: value.message, stack: value.stack, cause: value.cause } : value,
      )
      expect(everything).not.toContain(secret)
      expect(result.databases[0]?.error?.code).toBe('database_error')
    }
  })
})
