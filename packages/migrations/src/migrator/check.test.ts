import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTempDir, singleRepoConfig, type TempDir, writeMigration } from '../test-utils/migration-fixtures.js'
import { assertMigrated, checkMigrated, NotMigratedError } from './check.js'
import { migrate } from './migrate.js'

// The boot check (assertMigrated) and its data form (checkMigrated), on real SQLite files.

let dir: TempDir
beforeEach(async () => {
  dir = await createTempDir()
})
afterEach(() => dir.remove())

async function twoMigrations(): Promise<void> {
  const repoDir = join(dir.path, 'migrations', 'main')
  await writeMigration(repoDir, '20260101000000_notes', {
    up: ['CREATE TABLE `notes` (`id` integer PRIMARY KEY AUTOINCREMENT, `body` text);'],
    down: ['DROP TABLE `notes`;'],
  })
  await writeMigration(repoDir, '20260102000000_body_index', {
    up: ['CREATE INDEX `notes_body_index` ON `notes` (`body`);'],
    down: ['DROP INDEX `notes_body_index`;'],
  })
}

async function thrownBy(promise: Promise<unknown>): Promise<NotMigratedError> {
  try {
    await promise
  } catch (error) {
    return error as NotMigratedError
  }
  throw new Error('expected a NotMigratedError')
}

describe('assertMigrated / checkMigrated', () => {
  it('names a database that does not exist, and creates nothing', async () => {
    await twoMigrations()
    const config = singleRepoConfig(dir.path)
    const check = await checkMigrated(config)
    expect(check.ok).toBe(false)
    expect(check.problems).toEqual([
      {
        repo: 'main',
        database: 'main',
        url: `file:${join(dir.path, 'main.db')}`,
        kind: 'database_missing',
        migrations: ['20260101000000_notes', '20260102000000_body_index'],
        message: `main: database file:${join(dir.path, 'main.db')} does not exist (2 migrations to apply): run ash-sqlite migrate, or check the repo's url`,
      },
    ])
    const error = await thrownBy(assertMigrated(config))
    expect(error).toBeInstanceOf(NotMigratedError)
    expect(error.code).toBe('not_migrated')
    expect(error.problems).toEqual(check.problems)
    expect(error.message).toBe(`The databases are not migrated:\n  ${check.problems[0]?.message}`)
  })

  it('lists pending and then edited migrations, and passes once everything is applied unchanged', async () => {
    await twoMigrations()
    const config = singleRepoConfig(dir.path)
    await migrate(config, { step: 1 })
    expect((await thrownBy(assertMigrated(config))).message).toBe(
      'The databases are not migrated:\n  main: 1 pending (20260102000000_body_index): run ash-sqlite migrate',
    )

    await migrate(config)
    await expect(assertMigrated(config)).resolves.toBeUndefined()
    expect(await checkMigrated(config)).toMatchObject({ ok: true, problems: [] })

    await writeFile(join(dir.path, 'migrations', 'main', '20260101000000_notes', 'migration.sql'), 'SELECT 1;')
    await rm(join(dir.path, 'migrations', 'main', '20260102000000_body_index'), { recursive: true })
    const check = await checkMigrated(config)
    expect(check.problems.map((problem) => [problem.kind, problem.migrations])).toEqual([
      ['changed', ['20260101000000_notes']],
      ['missing', ['20260102000000_body_index']],
    ])
  })
})
