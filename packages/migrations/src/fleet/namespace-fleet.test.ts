/**
 * A fleet whose databases are namespaces of one sqld server (`--enable-namespaces`): `create` and `drop`
 * go through the admin API, `migrate`/`rollback`/`status` through each namespace's URL. Migrations are
 * generated once for the repo and applied to every namespace.
 */
import type { DatabaseTarget } from '@ash-sqlite/resource'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDatabases, dropDatabases } from '../database/create-drop.js'
import type { DatabaseProgress } from '../database/progress.js'
import { migrate } from '../migrator/migrate.js'
import { rollback } from '../migrator/rollback.js'
import { status } from '../migrator/status.js'
import type { MigratorEvent } from '../migrator/types.js'
import { everythingIn, onServer, remoteScalar } from '../remote/__fixtures__/remote-client.js'
import { buildConfig, createTempDir, type TempDir } from '../test-utils/migration-fixtures.js'
import { findFreeLoopbackPort, type SqldServer, startSqld } from '../test-utils/sqld.js'
import { generateRepoMigrations } from './__fixtures__/family-repo.js'

const fleetSize = 24
let server: SqldServer
let temp: TempDir
let generated: string[]
let targets: DatabaseTarget[]

beforeAll(async () => {
  ;[server, temp] = await Promise.all([startSqld({ namespaces: true, auth: true }), createTempDir()])
  generated = await generateRepoMigrations(temp.path, 'tenants')
  targets = Array.from({ length: fleetSize }, (_, index) => namespaceTarget(`tenant${index}`))
})
afterAll(async () => {
  await server?.stop()
  await temp?.remove()
})

function namespaceTarget(namespace: string): DatabaseTarget {
  return {
    name: namespace,
    url: server.namespaceUrl(namespace),
    authToken: server.authToken,
    admin: { url: server.adminUrl as string, namespace },
  }
}

const fleet = (list: () => DatabaseTarget[] = () => targets) =>
  buildConfig(temp.path, [{ name: 'tenants', databases: async () => list() }])
const statusesOf = (result: { databases: readonly { database: string; status: string }[] }) => [
  ...new Set(result.databases.map((entry) => entry.status)),
]
const tenant = (index: number): DatabaseTarget => targets[index] as DatabaseTarget

describe('a fleet of sqld namespaces', () => {
  it('creates, migrates, reports, rolls back one, recovers a missing one, and drops them all', async () => {
    const created: DatabaseProgress[] = []
    const creation = await createDatabases(fleet(), {
      onEvent: (event) => {
        if (event.type === 'database_finished') created.push(event)
      },
    })
    expect(creation.ok).toBe(true)
    expect(statusesOf(creation)).toEqual(['created'])
    expect(creation.databases.map((entry) => entry.database)).toEqual(targets.map((target) => target.name))
    expect(created.map((progress) => progress.done)).toEqual(Array.from({ length: fleetSize }, (_, i) => i + 1))
    expect(statusesOf(await createDatabases(fleet()))).toEqual(['exists'])

    const events: MigratorEvent[] = []
    const migrated = await migrate(fleet(), { onEvent: (event) => events.push(event) })
    expect(migrated.ok).toBe(true)
    for (const database of migrated.databases) {
      expect(database.results.map((entry) => `${entry.migrationName}:${entry.status}`)).toEqual(
        generated.map((name) => `${name}:success`),
      )
    }
    const starts = events.filter((event) => event.type === 'database_started')
    expect(starts.map((event) => event.databaseIndex).sort((a, b) => a - b)).toEqual([...Array(fleetSize).keys()])
    expect(new Set(starts.map((event) => event.total))).toEqual(new Set([fleetSize]))
    const finishes = events.filter((event) => event.type === 'database_finished')
    expect(finishes.map((event) => event.done)).toEqual(Array.from({ length: fleetSize }, (_, i) => i + 1))
    expect(finishes.at(-1)).toMatchObject({ done: fleetSize, failed: 0, total: fleetSize })

    const states = await status(fleet())
    expect(states.ok).toBe(true)
    expect(new Set(states.databases.flatMap((database) => database.migrations.map((entry) => entry.state)))).toEqual(
      new Set(['applied']),
    )

    // --database picks one namespace; the rebuild in down.sql keeps its cascading children.
    const chosen = tenant(5)
    await onServer(chosen.url, chosen.authToken, (client) =>
      client.executeMultiple(
        "INSERT INTO users (id, name) VALUES ('u1', 'Ada'), ('u2', 'Bo'); INSERT INTO posts (title, author_id) VALUES ('a', 'u1'), ('b', 'u1'), ('c', 'u2')",
      ),
    )
    const rolledBack = await rollback(fleet(), { database: 'tenant5' })
    expect(rolledBack.databases.map((database) => database.database)).toEqual(['tenant5'])
    expect(rolledBack.databases[0]?.results.map((entry) => entry.status)).toEqual(['success'])
    expect(await remoteScalar(chosen.url, chosen.authToken, 'SELECT count(*) FROM posts')).toBe(3)
    expect(await remoteScalar(tenant(6).url, tenant(6).authToken, 'SELECT count(*) FROM __drizzle_migrations')).toBe(3)

    // A namespace deleted behind the fleet's back fails alone; create brings it back and a rerun finishes.
    await server.deleteNamespace('tenant7')
    const withMissing = await migrate(fleet())
    expect(withMissing.ok).toBe(false)
    const failures = withMissing.databases.filter((database) => database.error !== undefined)
    expect(failures.map((database) => database.database)).toEqual(['tenant7'])
    expect(failures[0]?.error).toMatchObject({ code: 'database_error', reason: 'not_found' })
    expect(failures[0]?.error?.message).toBe(
      `Database tenant7 (${tenant(7).url}) was not found on the server (HTTP 404): its namespace does not exist yet: \`ash-sqlite create\` creates it.`,
    )
    const rerunPlans = withMissing.databases.map((database) => database.results.length)
    expect(rerunPlans.filter((count) => count > 0)).toEqual([1]) // tenant5 gets its rolled-back migration again
    const recreated = await createDatabases(fleet())
    expect(recreated.databases.filter((entry) => entry.status === 'created').map((entry) => entry.database)).toEqual([
      'tenant7',
    ])
    const finished = await migrate(fleet())
    expect(finished.ok).toBe(true)
    expect(finished.databases.find((database) => database.database === 'tenant7')?.results).toHaveLength(3)

    const dropped = await dropDatabases(fleet())
    expect(statusesOf(dropped)).toEqual(['dropped'])
    expect(statusesOf(await dropDatabases(fleet()))).toEqual(['absent'])
    expect(everythingIn([creation, migrated, withMissing, dropped])).not.toContain(server.authToken)
  })

  it('reports an unreachable admin API per database and creates the rest', async () => {
    const closedPort = await findFreeLoopbackPort()
    const unreachable = {
      ...namespaceTarget('lost'),
      admin: { url: `http://127.0.0.1:${closedPort}`, namespace: 'lost', authToken: 'ADMIN-KEY-must-not-leak' },
    }
    const list = () => [namespaceTarget('kept'), unreachable]
    const result = await createDatabases(fleet(list))
    expect(result.ok).toBe(false)
    expect(result.databases.map((entry) => `${entry.database}:${entry.status}`)).toEqual(['kept:created', 'lost:error'])
    expect(result.databases[1]?.error).toMatchObject({ reason: 'unreachable' })
    expect(result.databases[1]?.error?.message).toBe(
      `Cannot reach the sqld admin API at http://127.0.0.1:${closedPort} (ECONNREFUSED) to manage namespace lost. Is the server running with --admin-listen-addr, and is the admin url right?`,
    )
    expect(everythingIn(result)).not.toContain('ADMIN-KEY-must-not-leak')
    expect((await dropDatabases(fleet(list))).databases.map((entry) => entry.status)).toEqual(['dropped', 'error'])
  })
})
