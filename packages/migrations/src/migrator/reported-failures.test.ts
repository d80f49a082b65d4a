/**
 * Failures found by adversarial runs of the migrator, each on real files: violations that existed before a
 * migration, CRLF checkouts of applied migrations, a database URL naming a directory, auth tokens that are
 * not strings.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { defineRepo } from '@ash-sqlite/resource'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createDatabases } from '../database/create-drop.js'
import {
  buildConfig,
  createTempDir,
  singleRepoConfig,
  type TempDir,
  writeMigration,
} from '../test-utils/migration-fixtures.js'
import { queryRows, recordedNames, tableNames, withDb } from '../test-utils/sqlite-file.js'
import { migrate } from './migrate.js'
import { hashMigrationSql } from './migration-files.js'
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

describe('foreign key violations that existed before a migration', () => {
  beforeEach(async () => {
    await writeMigration(repoDir, '20260101000000_tables', {
      up: [
        'CREATE TABLE parent (id integer PRIMARY KEY);',
        'CREATE TABLE child (id integer PRIMARY KEY, parent_id integer REFERENCES parent(id));',
        'CREATE TABLE other (id integer PRIMARY KEY, note text);',
      ],
    })
    await migrate(singleRepoConfig(temp.path))
    // Rows written with foreign keys off, as apps and imports do: two orphans.
    await withDb(dbPath, (db) =>
      db.executeMultiple('PRAGMA foreign_keys=OFF; INSERT INTO child VALUES (1, 41), (2, 42);'),
    )
  })

  it('do not stop an unrelated migration: it applies, with a warning naming table and count', async () => {
    await writeMigration(repoDir, '20260102000000_unrelated', {
      // A data change, so the migration is checked.
      up: ["INSERT INTO other VALUES (1, 'x');", 'ALTER TABLE other ADD note2 text;'],
    })
    const result = await migrate(singleRepoConfig(temp.path))

    expect(result.ok).toBe(true)
    expect(result.databases[0]?.results.map((entry) => entry.status)).toEqual(['success'])
    expect(result.databases[0]?.warnings).toEqual([
      '2 foreign key violation(s) existed before this migration ran (child -> parent: 2 rows). They do not stop migrations; `PRAGMA foreign_key_check` lists them.',
    ])
    expect(await queryRows(dbPath, 'SELECT id, note FROM other')).toEqual([{ id: 1, note: 'x' }])
    expect(await recordedNames(dbPath)).toEqual(['20260101000000_tables', '20260102000000_unrelated'])
  })

  it('still stop a migration that adds one more, naming the count it added', async () => {
    await writeMigration(repoDir, '20260102000000_unrelated', { up: ["INSERT INTO other VALUES (1, 'x');"] })
    await writeMigration(repoDir, '20260103000000_orphan', { up: ['INSERT INTO child VALUES (3, 43);'] })
    const result = await migrate(singleRepoConfig(temp.path))

    expect(result.databases[0]?.results.map((entry) => `${entry.migrationName}:${entry.status}`)).toEqual([
      '20260102000000_unrelated:success',
      '20260103000000_orphan:error',
    ])
    const error = result.databases[0]?.error
    expect(error?.code).toBe('foreign_key_violation')
    expect(error?.message).toContain('it would add 1 foreign key violation(s)')
    expect(await queryRows(dbPath, 'SELECT id FROM child ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }])
    expect(await recordedNames(dbPath)).toEqual(['20260101000000_tables', '20260102000000_unrelated'])
  })
})

describe('an error that ends the whole transaction', () => {
  it('is reported as the original error, and the migrations of the same transaction count as not applied', async () => {
    await writeMigration(repoDir, '20260101000000_a', { up: ['CREATE TABLE a (id integer);'] })
    await writeMigration(repoDir, '20260102000000_b', {
      // RAISE(ROLLBACK) ends the whole transaction, as a full disk or an I/O error does: ROLLBACK TO fails.
      up: [
        'CREATE TABLE b (id integer);',
        "CREATE TRIGGER b_refuses BEFORE INSERT ON b BEGIN SELECT RAISE(ROLLBACK, 'b refuses rows'); END;",
        'INSERT INTO b VALUES (1);',
      ],
    })
    await writeMigration(repoDir, '20260103000000_c', { up: ['CREATE TABLE c (id integer);'] })
    const result = await migrate(singleRepoConfig(temp.path))

    expect(result.databases[0]?.results.map((entry) => `${entry.migrationName}:${entry.status}`)).toEqual([
      '20260101000000_a:not_executed',
      '20260102000000_b:error',
      '20260103000000_c:not_executed',
    ])
    const error = result.databases[0]?.error
    expect(error?.code).toBe('migration_failed')
    expect(error?.message).toContain('Migration 20260102000000_b (migration.sql) failed and was rolled back:')
    expect(error?.message).toContain('b refuses rows')
    expect(error?.message).toContain(
      'The error ended the whole transaction: the 1 migration(s) run before it in the same transaction were rolled back with it.',
    )
    // The database is where it was before the run: a boundary, and the tracking table says so.
    // The tracking table was created in the same transaction: it is gone too.
    expect(await tableNames(dbPath)).toEqual([])
  })
})

describe('an applied migration checked out with other line endings', () => {
  const statements =
    'CREATE TABLE a (id integer PRIMARY KEY);\n--> statement-breakpoint\nCREATE INDEX a_id ON a (id);\n'

  it('applied from LF, checked out with CRLF: still applied, and migrate goes on', async () => {
    await writeMigration(repoDir, '20260101000000_a', { up: statements })
    await migrate(singleRepoConfig(temp.path))
    const file = join(repoDir, '20260101000000_a', 'migration.sql')
    await writeFile(file, statements.replaceAll('\n', '\r\n'))
    await writeMigration(repoDir, '20260102000000_b', { up: 'CREATE TABLE b (id integer);\r\n' })

    const before = await status(singleRepoConfig(temp.path))
    expect(before.databases[0]?.migrations.map((entry) => entry.state)).toEqual(['applied', 'pending'])
    const result = await migrate(singleRepoConfig(temp.path))
    expect(result.ok).toBe(true)
    // The hash written is drizzle's: sha256 of the file exactly as it is on disk.
    const rows = await queryRows(dbPath, 'SELECT name, hash FROM __drizzle_migrations ORDER BY id')
    expect(rows[1]).toEqual({ name: '20260102000000_b', hash: hashMigrationSql('CREATE TABLE b (id integer);\r\n') })
  })

  it('applied from CRLF, checked out with LF: still applied; a real edit is still "changed"', async () => {
    await writeMigration(repoDir, '20260101000000_a', { up: statements.replaceAll('\n', '\r\n') })
    await migrate(singleRepoConfig(temp.path))
    const file = join(repoDir, '20260101000000_a', 'migration.sql')
    await writeFile(file, statements)
    expect((await status(singleRepoConfig(temp.path))).databases[0]?.migrations[0]?.state).toBe('applied')

    await writeFile(file, `${await readFile(file, 'utf8')}-- edited\n`)
    expect((await status(singleRepoConfig(temp.path))).databases[0]?.migrations[0]?.state).toBe('changed')
    const result = await migrate(singleRepoConfig(temp.path))
    expect(result.databases[0]?.error?.code).toBe('changed_migration')
  })
})

describe('a database URL that names a directory', () => {
  it('migrate and status say so precisely, and create refuses it', async () => {
    await writeMigration(repoDir, '20260101000000_a', { up: ['CREATE TABLE a (id integer);'] })
    await mkdir(join(temp.path, 'data.db'))
    const config = singleRepoConfig(temp.path, `file:${join(temp.path, 'data.db')}`)

    for (const result of [await migrate(config), await status(config)]) {
      expect(result.ok).toBe(false)
      const error = result.databases[0]?.error
      expect(error?.message).toContain('is a directory, not a database file')
      expect(error?.message).not.toContain('Does its folder exist')
    }
    const created = await createDatabases(config)
    expect(created.ok).toBe(false)
    expect(created.databases[0]?.status).toBe('error')
    expect(created.databases[0]?.error?.message).toContain('is a directory, not a database file')
  })
})

describe('auth tokens that are not strings', () => {
  const secret = 'tok-very-secret-123456'

  it.each([
    ['an object', { token: secret }],
    ['a String object', new String(secret)],
  ])('defineRepo refuses %s without printing it', (_kind, authToken) => {
    let message = ''
    try {
      defineRepo({ name: 'main', url: 'libsql://db.example.com', authToken: authToken as unknown as string })
    } catch (error) {
      message = `${(error as Error).message}\n${String((error as Error).stack)}`
    }
    expect(message).toContain('authToken')
    expect(message).not.toContain(secret)
  })

  it.each([
    ['an object', { token: secret }],
    ['a String object', new String(secret)],
  ])("migrate refuses %s in a fleet's databases() without printing it", async (_kind, authToken) => {
    const config = buildConfig(temp.path, [
      { name: 'tenants', databases: () => [{ name: 't1', url: 'http://127.0.0.1:9', authToken } as never] },
    ])
    const result = await migrate(config)
    expect(result.ok).toBe(false)
    const shown = JSON.stringify(result, (_key, value) =>
      value instanceof Error ? { message: value.message, stack: value.stack, cause: String(value.cause) } : value,
    )
    expect(shown).toContain('authToken')
    expect(shown).not.toContain(secret)
  })

  it('migrate refuses one in a hand-built config without printing it', async () => {
    const config = buildConfig(temp.path, [
      { name: 'main', url: 'http://127.0.0.1:9', authToken: { token: secret } as unknown as string },
    ])
    const result = await migrate(config)
    expect(result.databases[0]?.error?.message).toContain('authToken')
    expect(JSON.stringify(result.databases[0]?.error?.message)).not.toContain(secret)
  })
})
