import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { UsageError } from '../errors.js'
import { createTempDir, singleRepoConfig, type TempDir, writeMigration } from '../test-utils/migration-fixtures.js'
import { recordedNames, tableNames } from '../test-utils/sqlite-file.js'
import { DatabaseMissingError } from './errors.js'
import { migrate } from './migrate.js'
import { rollback } from './rollback.js'

let temp: TempDir
let dbPath: string
let repoDir: string
const names = ['20260101000000_a', '20260102000000_b', '20260103000000_c', '20260104000000_d']
const config = () => singleRepoConfig(temp.path)

beforeEach(async () => {
  temp = await createTempDir()
  dbPath = join(temp.path, 'main.db')
  repoDir = join(temp.path, 'migrations', 'main')
  for (const name of names) {
    const table = name.slice(-1)
    await writeMigration(repoDir, name, { up: [`CREATE TABLE ${table} (id integer);`], down: [`DROP TABLE ${table};`] })
  }
  await migrate(config())
})
afterEach(async () => {
  await temp.remove()
})

const rolledBack = (result: Awaited<ReturnType<typeof rollback>>) =>
  result.databases[0]?.results.map((entry) => `${entry.migrationName}:${entry.direction}:${entry.status}`)

describe('rollback', () => {
  it('rolls back the newest migration by default and removes its tracking row', async () => {
    const result = await rollback(config())
    expect(result).toMatchObject({ ok: true, direction: 'down', dryRun: false })
    expect(rolledBack(result)).toEqual(['20260104000000_d:down:success'])
    expect(await tableNames(dbPath)).toEqual(['__drizzle_migrations', 'a', 'b', 'c'])
    expect(await recordedNames(dbPath)).toEqual(names.slice(0, 3))
  })

  it('--step N rolls back the newest N, newest first', async () => {
    expect(rolledBack(await rollback(config(), { step: 2 }))).toEqual([
      '20260104000000_d:down:success',
      '20260103000000_c:down:success',
    ])
    expect(await recordedNames(dbPath)).toEqual(names.slice(0, 2))
  })

  it('--to VERSION rolls back everything newer than VERSION, which stays applied', async () => {
    expect(rolledBack(await rollback(config(), { to: '20260102000000' }))).toEqual([
      '20260104000000_d:down:success',
      '20260103000000_c:down:success',
    ])
    expect(await recordedNames(dbPath)).toEqual(names.slice(0, 2))
  })

  it('--all rolls back everything; nothing left is no error', async () => {
    expect(rolledBack(await rollback(config(), { all: true }))).toHaveLength(4)
    expect(await tableNames(dbPath)).toEqual(['__drizzle_migrations'])
    expect(await recordedNames(dbPath)).toEqual([])
    const again = await rollback(config())
    expect(again.ok).toBe(true)
    expect(again.databases[0]?.results).toEqual([])
  })

  it('refuses, before running anything, when a migration in the range has no usable down.sql', async () => {
    await rm(join(repoDir, '20260103000000_c', 'down.sql'))
    const result = await rollback(config(), { step: 2 })
    expect(result.ok).toBe(false)
    expect(result.databases[0]?.results).toEqual([])
    expect(result.databases[0]?.error?.code).toBe('missing_down')
    expect(result.databases[0]?.error?.message).toBe(
      'Cannot roll back 20260103000000_c: its folder has no down.sql. Nothing was rolled back.\n  Write the reverting SQL into down.sql (statements separated by --> statement-breakpoint), or roll back fewer migrations.',
    )
    expect(await recordedNames(dbPath)).toEqual(names)

    await writeFile(join(repoDir, '20260103000000_c', 'down.sql'), '\n')
    const empty = await rollback(config(), { step: 2 })
    expect(empty.databases[0]?.error?.message).toMatch(
      /^Cannot roll back 20260103000000_c: its folder has an empty down.sql/,
    )
    expect(rolledBack(await rollback(config()))).toEqual(['20260104000000_d:down:success'])
  })

  it('refuses to roll back a recorded migration whose folder is missing', async () => {
    await rm(join(repoDir, '20260104000000_d'), { recursive: true })
    const result = await rollback(config())
    expect(result.databases[0]?.error?.code).toBe('missing_migration')
    expect(result.databases[0]?.error?.message).toBe(
      `Cannot roll back 20260104000000_d: it is recorded in __drizzle_migrations but its folder is missing from ${repoDir}. Nothing was rolled back.\n  Restore the folder (from version control), or roll back fewer migrations.`,
    )
    expect(await recordedNames(dbPath)).toEqual(names)
  })

  it('a failing down statement rolls that migration back and keeps it applied', async () => {
    await writeFile(
      join(repoDir, '20260103000000_c', 'down.sql'),
      'DROP TABLE c;\n--> statement-breakpoint\nDROP TABLE nosuch;',
    )
    const result = await rollback(config(), { step: 3 })
    expect(rolledBack(result)).toEqual([
      '20260104000000_d:down:success',
      '20260103000000_c:down:error',
      '20260102000000_b:down:not_executed',
    ])
    expect(result.databases[0]?.results[1]?.error?.message).toBe(
      'Migration 20260103000000_c (down.sql) failed at statement 2 of 2 and was rolled back: SQLITE_ERROR: no such table: nosuch\n  DROP TABLE nosuch;',
    )
    expect(await tableNames(dbPath)).toEqual(['__drizzle_migrations', 'a', 'b', 'c'])
    expect(await recordedNames(dbPath)).toEqual(names.slice(0, 3))
  })

  it('--dry-run lists the down statements and changes nothing', async () => {
    const result = await rollback(config(), { step: 2, dryRun: true })
    expect(result.databases[0]?.results).toEqual([
      {
        migrationName: '20260104000000_d',
        direction: 'down',
        status: 'not_executed',
        durationMs: 0,
        statements: ['DROP TABLE d;'],
      },
      {
        migrationName: '20260103000000_c',
        direction: 'down',
        status: 'not_executed',
        durationMs: 0,
        statements: ['DROP TABLE c;'],
      },
    ])
    expect(await recordedNames(dbPath)).toEqual(names)
  })

  it('rejects conflicting options', async () => {
    await expect(rollback(config(), { all: true, step: 2 })).rejects.toThrow(
      new UsageError('--step and --all cannot be combined: pass one of them.'),
    )
    await expect(rollback(config(), { to: 'nope' })).rejects.toMatchObject({ code: 'unknown_version', exitCode: 2 })
  })

  it('says that a database does not exist, and does not create it', async () => {
    const other = singleRepoConfig(temp.path, `file:${join(temp.path, 'fresh.db')}`)
    const result = await rollback(other)
    expect(result.ok).toBe(false)
    expect(result.databases[0]?.results).toEqual([])
    expect(result.databases[0]?.error).toBeInstanceOf(DatabaseMissingError)
    expect(result.databases[0]?.error?.code).toBe('database_missing')
    expect(result.databases[0]?.error?.message).toBe(
      `Database file:${join(temp.path, 'fresh.db')} does not exist, so nothing was rolled back. Check the repo's url (relative file: paths start at the config's folder).`,
    )
    expect(await tableNames(join(temp.path, 'main.db'))).toContain('d')
    await expect(import('node:fs/promises').then((fs) => fs.access(join(temp.path, 'fresh.db')))).rejects.toThrow()
  })
})
