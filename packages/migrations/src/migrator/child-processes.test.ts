/**
 * Real processes against one real SQLite file: concurrent `migrate` runs, and a run killed with SIGKILL in
 * the middle of a migration. The children run src/migrator/__fixtures__/run-migrator.mjs.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTempDir, singleRepoConfig, type TempDir, writeMigration } from '../test-utils/migration-fixtures.js'
import { type MigratorChildOutput, startMigratorChild } from '../test-utils/migrator-child.js'
import { queryRows, recordedNames, scalar, tableNames } from '../test-utils/sqlite-file.js'
import { migrate } from './migrate.js'

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

// Enough rows per migration that the write transactions take a moment and overlap.
const fillRows = (table: string, rows: number) =>
  `INSERT INTO ${table} WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < ${rows}) SELECT x, hex(randomblob(16)) FROM n;`

describe('concurrent migrate processes', () => {
  it('4 processes apply each migration exactly once and all exit 0', async () => {
    await writeMigration(repoDir, '20260101000000_log', { up: ['CREATE TABLE log (migration text NOT NULL);'] })
    const names: string[] = []
    for (let index = 1; index <= 8; index++) {
      const name = `2026010200000${index}_step_${index}`
      names.push(name)
      await writeMigration(repoDir, name, {
        // CREATE TABLE without IF NOT EXISTS: a second application would fail loudly.
        up: [
          `CREATE TABLE t${index} (x integer, pad text);`,
          fillRows(`t${index}`, 20_000),
          `INSERT INTO log VALUES ('${name}');`,
        ],
      })
    }
    const startAt = Date.now() + 2_500
    const children = Array.from({ length: 4 }, () =>
      startMigratorChild('migrate', { config: singleRepoConfig(temp.path), startAt }),
    )
    const outputs: MigratorChildOutput[] = await Promise.all(children.map((child) => child.done))

    for (const output of outputs) {
      expect({ code: output.code, stderr: output.stderr, ok: output.result?.ok }).toEqual({
        code: 0,
        stderr: '',
        ok: true,
      })
    }
    const successes = outputs.flatMap((output) =>
      output.result.databases[0].results.filter((result: any) => result.status === 'success'),
    )
    expect(successes.map((result: any) => result.migrationName).sort()).toEqual(['20260101000000_log', ...names])
    expect(await recordedNames(dbPath)).toEqual(['20260101000000_log', ...names])
    expect(await queryRows(dbPath, 'SELECT migration FROM log ORDER BY rowid')).toEqual(
      names.map((migration) => ({ migration })),
    )
  }, 60_000)
})

describe('a migrate process killed with SIGKILL mid-migration', () => {
  it('leaves the database at a migration boundary, and a rerun finishes cleanly', async () => {
    await writeMigration(repoDir, '20260101000000_a', { up: ['CREATE TABLE a (id integer);'] })
    await writeMigration(repoDir, '20260102000000_long', {
      up: [
        'CREATE TABLE big (x integer, pad text);',
        // Larger than SQLite's page cache, so uncommitted pages reach the database file before COMMIT.
        fillRows('big', 200_000),
        // Seconds of work inside the same transaction: the kill lands while it runs.
        'CREATE TABLE slow AS SELECT count(*) AS n FROM (WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 30000000) SELECT x FROM n);',
      ],
    })
    await writeMigration(repoDir, '20260103000000_c', { up: ['CREATE TABLE c (id integer);'] })

    const child = startMigratorChild('migrate', { config: singleRepoConfig(temp.path) })
    await child.waitForEvent(
      (event) => event.type === 'migration_started' && event.migrationName === '20260102000000_long',
    )
    // The rollback journal exists exactly while a write transaction has changed pages: then we are mid-migration.
    while (!existsSync(`${dbPath}-journal`)) await new Promise((resolve) => setTimeout(resolve, 2))
    child.process.kill('SIGKILL')
    const killed = await child.done
    expect(killed.signal).toBe('SIGKILL')
    expect(killed.result).toBeUndefined()

    expect(await scalar(dbPath, 'PRAGMA integrity_check')).toBe('ok')
    // The run's one transaction held a and long: the kill takes the database back to before the run (a
    // boundary), where nothing is recorded and no table of a migration exists.
    expect(existsSync(dbPath) ? await tableNames(dbPath) : []).toEqual([])

    const rerun = await migrate(singleRepoConfig(temp.path))
    expect(rerun.ok).toBe(true)
    expect(rerun.databases[0]?.results.map((result) => `${result.migrationName}:${result.status}`)).toEqual([
      '20260101000000_a:success',
      '20260102000000_long:success',
      '20260103000000_c:success',
    ])
    expect(await queryRows(dbPath, 'SELECT count(*) AS rows FROM big')).toEqual([{ rows: 200_000 }])
    expect(await recordedNames(dbPath)).toEqual(['20260101000000_a', '20260102000000_long', '20260103000000_c'])
  }, 60_000)
})
