/** drizzle-orm 1.0.0-rc.5's own migrate() and ours take turns on one database without applying anything twice. */
import { join } from 'node:path'
import { createClient } from '@libsql/client'
import { drizzle } from 'drizzle-orm/libsql'
import { migrate as drizzleMigrate } from 'drizzle-orm/libsql/migrator'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTempDir, singleRepoConfig, type TempDir, writeMigration } from '../test-utils/migration-fixtures.js'
import { queryRows, recordedNames, tableNames } from '../test-utils/sqlite-file.js'
import { migrate } from './migrate.js'
import { status } from './status.js'

let temp: TempDir
let repoDir: string
beforeEach(async () => {
  temp = await createTempDir()
  repoDir = join(temp.path, 'migrations', 'main')
  await writeMigration(repoDir, '20260101000000_a', {
    up: ['CREATE TABLE a (id integer);', 'INSERT INTO a VALUES (1);'],
  })
  await writeMigration(repoDir, '20260102000000_b', { up: ['CREATE TABLE b (id integer);'], down: ['DROP TABLE b;'] })
})
afterEach(async () => {
  await temp.remove()
})

async function runDrizzle(dbPath: string): Promise<void> {
  const client = createClient({ url: `file:${dbPath}` })
  try {
    await drizzleMigrate(drizzle({ client }), { migrationsFolder: repoDir })
  } finally {
    client.close()
  }
}

const trackingRows = (dbPath: string) =>
  queryRows(dbPath, 'SELECT id, hash, created_at, name FROM __drizzle_migrations ORDER BY id')

describe('drizzle-orm migrate() and ours on one database', () => {
  it('drizzle first, then ours: ours applies only what is new, and sees drizzle rows as applied', async () => {
    const dbPath = join(temp.path, 'main.db')
    await runDrizzle(dbPath)
    await writeMigration(repoDir, '20260103000000_c', { up: ['CREATE TABLE c (id integer);'] })

    const result = await migrate(singleRepoConfig(temp.path))

    expect(result.ok).toBe(true)
    expect(result.databases[0]?.results.map((entry) => entry.migrationName)).toEqual(['20260103000000_c'])
    expect(await queryRows(dbPath, 'SELECT count(*) AS n FROM a')).toEqual([{ n: 1 }])
    expect(await recordedNames(dbPath)).toEqual(['20260101000000_a', '20260102000000_b', '20260103000000_c'])
    const states = (await status(singleRepoConfig(temp.path))).databases[0]?.migrations.map((entry) => entry.state)
    expect(states).toEqual(['applied', 'applied', 'applied'])
  })

  it('ours first, then drizzle: drizzle applies only what is new', async () => {
    const dbPath = join(temp.path, 'main.db')
    await migrate(singleRepoConfig(temp.path))
    await writeMigration(repoDir, '20260103000000_c', { up: ['CREATE TABLE c (id integer);'] })

    await runDrizzle(dbPath)

    expect(await tableNames(dbPath)).toEqual(['__drizzle_migrations', 'a', 'b', 'c'])
    expect(await queryRows(dbPath, 'SELECT count(*) AS n FROM a')).toEqual([{ n: 1 }])
    expect(await recordedNames(dbPath)).toEqual(['20260101000000_a', '20260102000000_b', '20260103000000_c'])
  })

  it('writes the same table and the same rows as drizzle (apart from applied_at)', async () => {
    const drizzlePath = join(temp.path, 'drizzle.db')
    await runDrizzle(drizzlePath)
    await migrate(singleRepoConfig(temp.path, `file:${join(temp.path, 'ours.db')}`))
    const ours = join(temp.path, 'ours.db')
    const columns = 'SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(\'__drizzle_migrations\')'
    expect(await queryRows(ours, columns)).toEqual(await queryRows(drizzlePath, columns))
    expect(await trackingRows(ours)).toEqual(await trackingRows(drizzlePath))
    const appliedAt = 'SELECT typeof(applied_at) AS type FROM __drizzle_migrations'
    expect(await queryRows(ours, appliedAt)).toEqual(await queryRows(drizzlePath, appliedAt))
  })
})
