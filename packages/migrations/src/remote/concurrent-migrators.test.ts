/**
 * Several migrators against one sqld database at once. sqld queues writers server-side, and takes the
 * write lock away from a transaction older than 5 s when another writer waits (see
 * src/test-utils/remote-facts.test.ts): the migrator must apply every migration exactly once either way.
 */
import { cp } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { generateRepoMigrations } from '../fleet/__fixtures__/family-repo.js'
import { migrate } from '../migrator/migrate.js'
import type { MigrateRunResult } from '../migrator/types.js'
import { buildConfig, createTempDir, type TempDir, writeMigration } from '../test-utils/migration-fixtures.js'
import { type SqldServer, startSqld } from '../test-utils/sqld.js'
import { remoteRows, remoteScalar, wipe } from './__fixtures__/remote-client.js'
import { startSlowProxy } from './__fixtures__/slow-proxy.js'

let server: SqldServer
let temp: TempDir
let generated: string[]
beforeAll(async () => {
  ;[server, temp] = await Promise.all([startSqld(), createTempDir()])
  generated = await generateRepoMigrations(temp.path, 'main')
})
afterAll(async () => {
  await server?.stop()
  await temp?.remove()
})
beforeEach(async () => {
  await wipe(server.url, undefined)
})

/** Each migrator has its own config and so its own client: as separate processes would. */
const configAt = (root: string) => buildConfig(root, [{ name: 'main', url: server.url }])

function successesByMigration(results: readonly MigrateRunResult[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const entry of results.flatMap((result) => result.databases.flatMap((database) => database.results))) {
    counts[entry.migrationName] = (counts[entry.migrationName] ?? 0) + (entry.status === 'success' ? 1 : 0)
  }
  return counts
}

describe('concurrent migrators on one sqld database', () => {
  it('4 concurrent migrate runs apply each migration exactly once, and all of them succeed', async () => {
    const root = join(temp.path, 'four')
    await cp(join(temp.path, 'migrations'), join(root, 'migrations'), { recursive: true })
    const repoDir = join(root, 'migrations', 'main')
    // Migrations whose double application would show: each one logs a row.
    await writeMigration(repoDir, '20260201000000_log', { up: ['CREATE TABLE applied (name text NOT NULL)'] })
    for (const name of ['20260202000000_a', '20260203000000_b', '20260204000000_c']) {
      await writeMigration(repoDir, name, { up: [`INSERT INTO applied VALUES ('${name}')`] })
    }
    const results = await Promise.all(Array.from({ length: 4 }, () => migrate(configAt(root))))

    expect(results.map((result) => result.ok)).toEqual([true, true, true, true])
    const names = [...generated, '20260201000000_log', '20260202000000_a', '20260203000000_b', '20260204000000_c']
    expect(successesByMigration(results)).toEqual(Object.fromEntries(names.map((name) => [name, 1])))
    expect(await remoteRows(server.url, undefined, 'SELECT name FROM applied ORDER BY name')).toEqual([
      { name: '20260202000000_a' },
      { name: '20260203000000_b' },
      { name: '20260204000000_c' },
    ])
    expect(await remoteRows(server.url, undefined, 'SELECT name FROM __drizzle_migrations ORDER BY id')).toEqual(
      names.map((name) => ({ name })),
    )
  })

  it('a migration that loses the write lock to a waiting migrator after 5 s is rolled back, retried, and applied once', async () => {
    const root = join(temp.path, 'slow')
    const repoDir = join(root, 'migrations', 'main')
    // The tracking table exists already, so the first write transaction of each migrator is the migration's.
    await migrate(configAt(root))
    // One request per migration (a migration is sent as one batch), 0.5 s each through the proxy: the first
    // migrator's transaction (told not to commit midway) would last about 7 s.
    const names = Array.from({ length: 13 }, (_, n) => `202603010000${String(n).padStart(2, '0')}_step`)
    for (const [n, name] of names.entries()) {
      const up = n === 0 ? ['CREATE TABLE steps (n integer PRIMARY KEY)'] : [`INSERT INTO steps VALUES (${n})`]
      await writeMigration(repoDir, name, { up })
    }
    const proxy = await startSlowProxy(server.url, 500)
    try {
      const slowConfig = buildConfig(root, [{ name: 'main', url: proxy.url }])
      const slow = migrate(slowConfig, { maxTransactionMs: 60_000 })
      await proxy.writeLockTaken
      // The second migrator queues for the lock; sqld hands it over when the first transaction is 5 s old.
      const fast = migrate(configAt(root))
      const [slowResult, fastResult] = await Promise.all([slow, fast])

      expect([slowResult.ok, fastResult.ok]).toEqual([true, true])
      expect(fastResult.databases[0]?.results.map((entry) => entry.status)).toEqual(names.map(() => 'success'))
      // The slow one lost the lock midway, was rolled back, and found the work done when it looked again.
      expect(slowResult.databases[0]?.results.map((entry) => entry.status)).toEqual(names.map(() => 'skipped'))
      expect(await remoteScalar(server.url, undefined, 'SELECT count(*) FROM steps')).toBe(12)
      expect(await remoteScalar(server.url, undefined, 'SELECT count(*) FROM __drizzle_migrations')).toBe(13)
    } finally {
      await proxy.close()
    }
  }, 60_000)
})
