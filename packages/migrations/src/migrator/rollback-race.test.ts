/**
 * `rollback` racing `migrate` on one file, in real processes: the rollback plans (the newest applied
 * migration is a) while a migrate process is applying b, then waits for the write lock. When it gets the
 * lock, b is the newest: undoing a now would drop a's table under b, so it refuses, and changes nothing.
 */
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTempDir, singleRepoConfig, type TempDir, writeMigration } from '../test-utils/migration-fixtures.js'
import { startMigratorChild } from '../test-utils/migrator-child.js'
import { queryRows, recordedNames, tableNames } from '../test-utils/sqlite-file.js'
import { migrate } from './migrate.js'
import { rollback } from './rollback.js'
import { status } from './status.js'

let temp: TempDir
let dbPath: string
let repoDir: string
beforeEach(async () => {
  temp = await createTempDir()
  dbPath = join(temp.path, 'main.db')
  repoDir = join(temp.path, 'migrations', 'main')
})
afterEach(async () => {
  await temp.remove()
})

describe('rollback racing migrate', () => {
  it('refuses with a coded error when what it planned to undo is no longer the newest applied migration', async () => {
    await writeMigration(repoDir, '20260101000000_a', {
      up: ['CREATE TABLE a (id integer PRIMARY KEY, pad text);', "INSERT INTO a VALUES (1, 'kept');"],
      down: ['DROP TABLE a;'],
    })
    await migrate(singleRepoConfig(temp.path))
    await writeMigration(repoDir, '20260102000000_b', {
      up: [
        'CREATE TABLE b (x integer, pad text);',
        // Seconds of work in migrate's write transaction, so the rollback plans while b is not committed yet.
        'INSERT INTO b WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 300000) SELECT x, hex(randomblob(16)) FROM n;',
        'CREATE TABLE slow AS SELECT count(*) AS n FROM (WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 1000000) SELECT x FROM n);',
      ],
      down: ['DROP TABLE slow;', 'DROP TABLE b;'],
    })

    const migrating = startMigratorChild('migrate', { config: singleRepoConfig(temp.path) })
    await migrating.waitForEvent(
      (event) => event.type === 'migration_started' && event.migrationName === '20260102000000_b',
    )
    const result = await rollback(singleRepoConfig(temp.path), { lockTimeoutMs: 60_000 })
    const migrated = await migrating.done

    expect(migrated.code).toBe(0)
    expect(result.ok).toBe(false)
    expect(result.databases[0]?.results.map((entry) => `${entry.migrationName}:${entry.status}`)).toEqual([
      '20260101000000_a:error',
    ])
    const error = result.databases[0]?.error
    expect(error?.code).toBe('rollback_plan_changed')
    expect(error?.message).toContain(
      'Refusing to roll back 20260101000000_a: it was the newest applied migration when rollback planned, but 20260102000000_b was applied since',
    )
    // Nothing was undone, and status tells the truth.
    expect(await recordedNames(dbPath)).toEqual(['20260101000000_a', '20260102000000_b'])
    expect(await tableNames(dbPath)).toEqual(['__drizzle_migrations', 'a', 'b', 'slow'])
    expect(await queryRows(dbPath, 'SELECT pad FROM a')).toEqual([{ pad: 'kept' }])
    const after = await status(singleRepoConfig(temp.path))
    expect(after.databases[0]?.migrations.map((entry) => entry.state)).toEqual(['applied', 'applied'])
  }, 60_000)

  it('a rollback planned and run without a race still rolls back the newest', async () => {
    await writeMigration(repoDir, '20260101000000_a', { up: ['CREATE TABLE a (id integer);'], down: ['DROP TABLE a;'] })
    await writeMigration(repoDir, '20260102000000_b', { up: ['CREATE TABLE b (id integer);'], down: ['DROP TABLE b;'] })
    await migrate(singleRepoConfig(temp.path))
    const result = await rollback(singleRepoConfig(temp.path))
    expect(result.ok).toBe(true)
    expect(await recordedNames(dbPath)).toEqual(['20260101000000_a'])
  })
})
