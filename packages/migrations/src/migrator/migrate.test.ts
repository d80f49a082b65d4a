import { access, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { readMigrationFiles } from 'drizzle-orm/migrator'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { UsageError } from '../errors.js'
import {
  buildConfig,
  createTempDir,
  singleRepoConfig,
  type TempDir,
  writeMigration,
} from '../test-utils/migration-fixtures.js'
import { queryRows, recordedNames, tableNames, withDb } from '../test-utils/sqlite-file.js'
import { AmbiguousVersionError, UnknownVersionError } from './errors.js'
import { migrate } from './migrate.js'
import { status } from './status.js'
import type { MigratorEvent } from './types.js'

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

const config = () => singleRepoConfig(temp.path)
const createTable = (name: string) => ({
  up: [`CREATE TABLE ${name} (id integer PRIMARY KEY);`],
  down: [`DROP TABLE ${name};`],
})
const states = async () =>
  (await status(config())).databases[0]?.migrations.map((entry) => `${entry.name}:${entry.state}`)

describe('migrate', () => {
  it('applies pending migrations in name order and records them as drizzle-orm does', async () => {
    await writeMigration(repoDir, '20260102000000_b', createTable('b'))
    await writeMigration(repoDir, '20260101000000_a', {
      up: ['CREATE TABLE a (id integer PRIMARY KEY);', 'INSERT INTO a VALUES (1);'],
    })
    const before = Date.now()

    const result = await migrate(config())

    expect(result).toMatchObject({ ok: true, direction: 'up', dryRun: false })
    expect(result.databases).toHaveLength(1)
    const [database] = result.databases
    expect(database).toMatchObject({ repo: 'main', database: 'main', url: `file:${dbPath}`, warnings: [] })
    expect(database?.error).toBeUndefined()
    expect(
      database?.results.map(({ migrationName, direction, status }) => ({ migrationName, direction, status })),
    ).toEqual([
      { migrationName: '20260101000000_a', direction: 'up', status: 'success' },
      { migrationName: '20260102000000_b', direction: 'up', status: 'success' },
    ])
    expect(await tableNames(dbPath)).toEqual(['__drizzle_migrations', 'a', 'b'])

    const drizzles = readMigrationFiles({ migrationsFolder: repoDir })
    const rows = await queryRows(
      dbPath,
      'SELECT id, hash, created_at, name, applied_at FROM __drizzle_migrations ORDER BY id',
    )
    expect(rows.map(({ applied_at, ...row }) => row)).toEqual(
      drizzles.map((migration, index) => ({
        id: index + 1,
        hash: migration.hash,
        created_at: migration.folderMillis,
        name: migration.name,
      })),
    )
    for (const row of rows) {
      expect(Date.parse(String(row.applied_at))).toBeGreaterThanOrEqual(before - 1000)
      expect(new Date(Date.parse(String(row.applied_at))).toISOString()).toBe(row.applied_at)
    }
    expect((await migrate(config())).databases[0]?.results).toEqual([])
  })

  it('creates the tracking table exactly in drizzle-orm 1.0 shape', async () => {
    await writeMigration(repoDir, '20260101000000_a', createTable('a'))
    await migrate(config())
    expect(
      await queryRows(dbPath, 'SELECT name, type, "notnull", pk FROM pragma_table_info(\'__drizzle_migrations\')'),
    ).toEqual([
      { name: 'id', type: 'INTEGER', notnull: 0, pk: 1 },
      { name: 'hash', type: 'TEXT', notnull: 1, pk: 0 },
      { name: 'created_at', type: 'numeric', notnull: 0, pk: 0 },
      { name: 'name', type: 'TEXT', notnull: 0, pk: 0 },
      { name: 'applied_at', type: 'TEXT', notnull: 0, pk: 0 },
    ])
  })

  it('reports progress events in order: a migration is finished once the transaction holding it committed', async () => {
    await writeMigration(repoDir, '20260101000000_a', createTable('a'))
    await writeMigration(repoDir, '20260102000000_b', createTable('b'))
    const events: MigratorEvent[] = []
    await migrate(config(), { onEvent: (event) => events.push(event) })
    expect(
      events.map((event) =>
        event.type === 'migration_started'
          ? `${event.type} ${event.migrationName} ${event.index + 1}/${event.total}`
          : event.type === 'migration_finished'
            ? `${event.type} ${event.result.migrationName} ${event.result.status}`
            : event.type,
      ),
    ).toEqual([
      'database_started',
      'migration_started 20260101000000_a 1/2',
      'migration_started 20260102000000_b 2/2',
      'migration_finished 20260101000000_a success',
      'migration_finished 20260102000000_b success',
      'database_finished',
    ])
  })

  it('stops at a failing statement: that migration rolls back, earlier ones stay, later ones are not executed', async () => {
    await writeMigration(repoDir, '20260101000000_a', createTable('a'))
    await writeMigration(repoDir, '20260102000000_broken', {
      up: ['CREATE TABLE b (id integer PRIMARY KEY);', 'INSERT INTO a VALUES (1);', 'INSERT INTO nosuch VALUES (1);'],
    })
    await writeMigration(repoDir, '20260103000000_c', createTable('c'))

    const result = await migrate(config())

    expect(result.ok).toBe(false)
    const [database] = result.databases
    expect(database?.results.map((entry) => entry.status)).toEqual(['success', 'error', 'not_executed'])
    const failed = database?.results[1]
    expect(failed).toMatchObject({ statementIndex: 2, statement: 'INSERT INTO nosuch VALUES (1);' })
    expect(failed?.error?.code).toBe('migration_failed')
    expect(failed?.error?.message).toBe(
      'Migration 20260102000000_broken (migration.sql) failed at statement 3 of 3 and was rolled back: SQLITE_ERROR: no such table: nosuch\n  INSERT INTO nosuch VALUES (1);',
    )
    expect(database?.error).toBe(failed?.error)
    expect(await tableNames(dbPath)).toEqual(['__drizzle_migrations', 'a'])
    expect(await queryRows(dbPath, 'SELECT count(*) AS n FROM a')).toEqual([{ n: 0 }])
    expect(await recordedNames(dbPath)).toEqual(['20260101000000_a'])
  })

  it('rolls back a migration that leaves foreign key violations and names them', async () => {
    await writeMigration(repoDir, '20260101000000_family', {
      up: [
        'CREATE TABLE parent (id integer PRIMARY KEY);',
        'CREATE TABLE child (id integer PRIMARY KEY, parent_id integer REFERENCES parent(id));',
        'INSERT INTO parent VALUES (1), (2);',
        'INSERT INTO child VALUES (10, 1), (11, 1), (12, 2);',
      ],
    })
    await writeMigration(repoDir, '20260102000000_orphans', { up: ['DELETE FROM parent WHERE id = 1;'] })

    const result = await migrate(config())

    const failed = result.databases[0]?.results[1]
    expect(failed?.status).toBe('error')
    expect(failed?.error).toMatchObject({
      code: 'foreign_key_violation',
      violations: [
        { table: 'child', rowid: 10, parent: 'parent', fkid: 0 },
        { table: 'child', rowid: 11, parent: 'parent', fkid: 0 },
      ],
    })
    expect(failed?.error?.message).toBe(
      'Migration 20260102000000_orphans (up) was rolled back: it would add 2 foreign key violation(s): child rowid 10 -> parent; child rowid 11 -> parent.\n  Fix the data (or the migration) so every reference has a parent row, then run it again.',
    )
    expect(await queryRows(dbPath, 'SELECT id FROM parent ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }])
    expect(await recordedNames(dbPath)).toEqual(['20260101000000_family'])
  })

  it('refuses to migrate when an applied migration was edited, unless allowChanged', async () => {
    await writeMigration(repoDir, '20260101000000_a', createTable('a'))
    await migrate(config())
    await writeFile(
      join(repoDir, '20260101000000_a', 'migration.sql'),
      'CREATE TABLE a (id integer PRIMARY KEY, x text);',
    )
    await writeMigration(repoDir, '20260102000000_b', createTable('b'))

    expect(await states()).toEqual(['20260101000000_a:changed', '20260102000000_b:pending'])
    const refused = await migrate(config())
    expect(refused.ok).toBe(false)
    expect(refused.databases[0]?.results).toEqual([])
    expect(refused.databases[0]?.error).toMatchObject({
      code: 'changed_migration',
      migrationNames: ['20260101000000_a'],
    })
    expect(refused.databases[0]?.error?.message).toBe(
      '1 applied migration(s) changed since they ran: 20260101000000_a.\n  Restore their migration.sql (an applied migration is never re-run), or pass --allow-changed (allowChanged: true) to migrate anyway.',
    )
    expect(await tableNames(dbPath)).toEqual(['__drizzle_migrations', 'a'])

    const allowed = await migrate(config(), { allowChanged: true })
    expect(allowed.ok).toBe(true)
    expect(allowed.databases[0]?.warnings).toEqual([
      'Migration 20260101000000_a changed since it was applied; continuing because of --allow-changed.',
    ])
    expect(await recordedNames(dbPath)).toEqual(['20260101000000_a', '20260102000000_b'])
  })

  it('applies a migration merged from another branch (older than the newest applied) with a warning', async () => {
    await writeMigration(repoDir, '20260101000000_a', createTable('a'))
    await writeMigration(repoDir, '20260103000000_c', createTable('c'))
    await migrate(config())
    await writeMigration(repoDir, '20260102000000_b_from_branch', createTable('b'))

    expect(await states()).toEqual([
      '20260101000000_a:applied',
      '20260102000000_b_from_branch:out_of_order',
      '20260103000000_c:applied',
    ])
    const result = await migrate(config())
    expect(result.databases[0]?.results.map((entry) => `${entry.migrationName}:${entry.status}`)).toEqual([
      '20260102000000_b_from_branch:success',
    ])
    expect(result.databases[0]?.warnings).toEqual([
      'Migration 20260102000000_b_from_branch is older than the newest applied migration (merged from another branch?); applying it out of order.',
    ])
    expect(await states()).toEqual([
      '20260101000000_a:applied',
      '20260102000000_b_from_branch:applied',
      '20260103000000_c:applied',
    ])
  })

  it('reports a recorded migration whose folder is missing', async () => {
    await writeMigration(repoDir, '20260101000000_a', createTable('a'))
    await writeMigration(repoDir, '20260102000000_b', createTable('b'))
    await migrate(config())
    await rm(join(repoDir, '20260102000000_b'), { recursive: true })

    expect(await states()).toEqual(['20260101000000_a:applied', '20260102000000_b:missing'])
    const result = await migrate(config())
    expect(result.ok).toBe(true)
    expect(result.databases[0]?.warnings).toEqual([
      'Migration 20260102000000_b is recorded as applied but its folder is missing.',
    ])
  })

  it('--step N applies the next N; --to VERSION applies up to and including it (timestamp or full name)', async () => {
    for (const name of ['20260101000000_a', '20260102000000_b', '20260103000000_c', '20260104000000_d']) {
      await writeMigration(repoDir, name, createTable(name.slice(-1)))
    }
    await migrate(config(), { step: 1 })
    expect(await recordedNames(dbPath)).toEqual(['20260101000000_a'])
    await migrate(config(), { to: '20260103000000' })
    expect(await recordedNames(dbPath)).toEqual(['20260101000000_a', '20260102000000_b', '20260103000000_c'])
    await migrate(config(), { to: '20260104000000_d' })
    expect(await recordedNames(dbPath)).toEqual([
      '20260101000000_a',
      '20260102000000_b',
      '20260103000000_c',
      '20260104000000_d',
    ])
  })

  it('rejects unknown and ambiguous versions and bad options before touching any database', async () => {
    await writeMigration(repoDir, '20260101000000_a', createTable('a'))
    await writeMigration(repoDir, '20260101000001_b', createTable('b'))
    await expect(migrate(config(), { to: '2025' })).rejects.toThrow(
      new UnknownVersionError('2025', 'main', ['20260101000000_a', '20260101000001_b']),
    )
    await expect(migrate(config(), { to: '2025' })).rejects.toThrow(
      '--to 2025: no migration of repo main is named 2025 or starts with it (its newest: 20260101000000_a, 20260101000001_b). Pass a folder name or its timestamp; use --repo to pick the repo it belongs to.',
    )
    await expect(migrate(config(), { to: '2026010100000' })).rejects.toBeInstanceOf(AmbiguousVersionError)
    await expect(migrate(config(), { step: 0 })).rejects.toThrow(
      new UsageError('--step must be a positive integer, got 0.'),
    )
    await expect(migrate(config(), { step: 1, to: '20260101000000' })).rejects.toThrow(
      new UsageError('--step and --to cannot be combined: pass one of them.'),
    )
    await expect(migrate(config(), { repo: ['other'] })).rejects.toBeInstanceOf(UsageError)
    await expect(access(dbPath)).rejects.toThrow()
  })

  it('--dry-run lists the statements that would run and changes nothing, not even creating the file', async () => {
    await writeMigration(repoDir, '20260101000000_a', {
      up: ['PRAGMA foreign_keys=OFF;', 'CREATE TABLE a (id integer PRIMARY KEY);', 'PRAGMA foreign_keys=ON;'],
    })
    const dry = await migrate(config(), { dryRun: true })
    expect(dry).toEqual({
      ok: true,
      direction: 'up',
      dryRun: true,
      databases: [
        {
          repo: 'main',
          database: 'main',
          url: `file:${dbPath}`,
          warnings: [],
          results: [
            {
              migrationName: '20260101000000_a',
              direction: 'up',
              status: 'not_executed',
              durationMs: 0,
              statements: ['CREATE TABLE a (id integer PRIMARY KEY);'],
            },
          ],
        },
      ],
    })
    await expect(access(dbPath)).rejects.toThrow()

    await withDb(dbPath, async (db) => {
      await db.execute('CREATE TABLE keep (id integer)')
    })
    await migrate(config(), { dryRun: true })
    expect(await tableNames(dbPath)).toEqual(['keep'])
  })

  it('runs a fleet: one broken database does not stop the others; --database picks one', async () => {
    await writeMigration(join(temp.path, 'migrations', 'tenants'), '20260101000000_a', createTable('a'))
    const fleet = buildConfig(temp.path, [
      {
        name: 'tenants',
        databases: () => [
          { name: 't1', url: 'file:t1.db' },
          { name: 'broken', url: 'file:no/such/folder/t.db' },
          { name: 't2', url: 'file:t2.db' },
        ],
      },
    ])
    const result = await migrate(fleet, { concurrency: 2 })
    expect(result.ok).toBe(false)
    expect(
      result.databases.map((database) => ({
        database: database.database,
        statuses: database.results.map((entry) => entry.status),
        error: database.error?.code,
      })),
    ).toEqual([
      { database: 't1', statuses: ['success'], error: undefined },
      { database: 'broken', statuses: [], error: 'database_error' },
      { database: 't2', statuses: ['success'], error: undefined },
    ])
    expect(await recordedNames(join(temp.path, 't2.db'))).toEqual(['20260101000000_a'])

    await writeMigration(join(temp.path, 'migrations', 'tenants'), '20260102000000_b', createTable('b'))
    const one = await migrate(fleet, { database: 't2' })
    expect(one.databases.map((database) => database.database)).toEqual(['t2'])
    expect(await recordedNames(join(temp.path, 't2.db'))).toEqual(['20260101000000_a', '20260102000000_b'])
    expect(await recordedNames(join(temp.path, 't1.db'))).toEqual(['20260101000000_a'])
  })
})
