import { join } from 'node:path'
import { createClient } from '@libsql/client'
import { drizzle } from 'drizzle-orm/libsql'
import { migrate as drizzleMigrate } from 'drizzle-orm/libsql/migrator'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTempDir, singleRepoConfig, type TempDir, writeMigration } from '../test-utils/migration-fixtures.js'
import { queryRows, recordedNames, tableNames, withDb } from '../test-utils/sqlite-file.js'
import { migrate } from './migrate.js'
import { readMigrationFolders, timestampMillis } from './migration-files.js'
import { status } from './status.js'

let temp: TempDir
let dbPath: string
let repoDir: string
const config = () => singleRepoConfig(temp.path)
const columnsSql = "SELECT name FROM pragma_table_info('__drizzle_migrations')"

beforeEach(async () => {
  temp = await createTempDir()
  dbPath = join(temp.path, 'main.db')
  repoDir = join(temp.path, 'migrations', 'main')
  await writeMigration(repoDir, '20260101000000_a', { up: ['CREATE TABLE a (id integer);'] })
  await writeMigration(repoDir, '20260102000000_b', { up: ['CREATE TABLE b (id integer);'] })
  await writeMigration(repoDir, '20260103000000_c', { up: ['CREATE TABLE c (id integer);'] })
})
afterEach(async () => {
  await temp.remove()
})

/** A database migrated by drizzle 0.x: its table shape, NULL ids, created_at = journal time in ms. */
async function seedLegacyDatabase(rows: Array<{ hash: string; createdAt: number }>): Promise<void> {
  await withDb(dbPath, async (db) => {
    await db.execute(
      'CREATE TABLE "__drizzle_migrations" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)',
    )
    await db.execute('CREATE TABLE a (id integer)')
    await db.execute('CREATE TABLE b (id integer)')
    for (const row of rows) {
      await db.execute({
        sql: 'INSERT INTO "__drizzle_migrations" (hash, created_at) VALUES (?, ?)',
        args: [row.hash, row.createdAt],
      })
    }
  })
}

async function legacyRowsForFirstTwo(): Promise<Array<{ hash: string; createdAt: number }>> {
  const [a, b] = await readMigrationFolders(repoDir)
  if (a === undefined || b === undefined) throw new Error('expected folders')
  // drizzle 0.x stored the journal's `when`, a few hundred ms after the folder's second.
  return [
    { hash: a.hash, createdAt: timestampMillis(a.timestamp) + 417 },
    { hash: b.hash, createdAt: timestampMillis(b.timestamp) + 9 },
  ]
}

describe('a drizzle 0.x tracking table (id, hash, created_at)', () => {
  it('is read by status without being changed', async () => {
    await seedLegacyDatabase(await legacyRowsForFirstTwo())
    const result = await status(config())
    expect(result.databases[0]?.migrations).toEqual([
      { name: '20260101000000_a', state: 'applied' },
      { name: '20260102000000_b', state: 'applied' },
      { name: '20260103000000_c', state: 'pending' },
    ])
    expect(await queryRows(dbPath, columnsSql)).toEqual([{ name: 'id' }, { name: 'hash' }, { name: 'created_at' }])
  })

  it('is upgraded in place by migrate: columns added, names backfilled, only new migrations run', async () => {
    await seedLegacyDatabase(await legacyRowsForFirstTwo())
    const result = await migrate(config())
    expect(result.ok).toBe(true)
    expect(result.databases[0]?.results.map((entry) => entry.migrationName)).toEqual(['20260103000000_c'])
    expect((await queryRows(dbPath, columnsSql)).map((row) => row.name)).toEqual([
      'id',
      'hash',
      'created_at',
      'name',
      'applied_at',
    ])
    expect(await recordedNames(dbPath)).toEqual(['20260101000000_a', '20260102000000_b', '20260103000000_c'])
    expect(await tableNames(dbPath)).toEqual(['__drizzle_migrations', 'a', 'b', 'c'])

    // drizzle-orm 1.0 accepts the upgraded table as its own and applies nothing twice.
    const client = createClient({ url: `file:${dbPath}` })
    try {
      await drizzleMigrate(drizzle({ client }), { migrationsFolder: repoDir })
    } finally {
      client.close()
    }
    expect(await recordedNames(dbPath)).toEqual(['20260101000000_a', '20260102000000_b', '20260103000000_c'])
  })

  it('falls back to the hash when no folder has the row timestamp', async () => {
    const [a, b] = await legacyRowsForFirstTwo()
    if (a === undefined || b === undefined) throw new Error('expected rows')
    await seedLegacyDatabase([a, { hash: b.hash, createdAt: 1_600_000_000_000 }])
    await migrate(config())
    expect(await recordedNames(dbPath)).toEqual(['20260101000000_a', '20260102000000_b', '20260103000000_c'])
  })

  it('stops with a clear error when a row matches no local migration, changing nothing', async () => {
    const [a] = await legacyRowsForFirstTwo()
    if (a === undefined) throw new Error('expected rows')
    await seedLegacyDatabase([a, { hash: 'f'.repeat(64), createdAt: 1_600_000_000_000 }])
    const result = await migrate(config())
    expect(result.ok).toBe(false)
    expect(result.databases[0]?.error?.code).toBe('tracking_table_invalid')
    expect(result.databases[0]?.error?.message).toBe(
      "__drizzle_migrations is in drizzle 0.x's shape and 1 of its rows match no local migration folder by timestamp or hash: id 2 (created_at 1600000000000).\n  Restore the missing migration folders before migrating this database.",
    )
    expect(await queryRows(dbPath, columnsSql)).toEqual([{ name: 'id' }, { name: 'hash' }, { name: 'created_at' }])
    expect(await tableNames(dbPath)).toEqual(['__drizzle_migrations', 'a', 'b'])
  })

  it("a table that is not drizzle's is refused", async () => {
    await withDb(dbPath, async (db) => {
      await db.execute('CREATE TABLE "__drizzle_migrations" (version text)')
    })
    const result = await migrate(config())
    expect(result.databases[0]?.error?.message).toBe(
      "__drizzle_migrations exists but has no id, hash, created_at column: it is not drizzle's tracking table. Rename or drop it, then migrate again.",
    )
  })
})
