/**
 * AshSqlite's generator scenarios about the project rather than one table, ported to this design: several
 * repos, the files on disk (DESIGN.md section 4), drizzle-orm's own migrator on them, corrupt snapshots.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { type AnyResource, attr, defineDomain, defineRepo, defineResource } from '@ash-sqlite/resource'
import { SnapshotError } from '@ash-sqlite/snapshot'
import { drizzle } from 'drizzle-orm/libsql'
import { migrate as drizzleMigrate } from 'drizzle-orm/libsql/migrator'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { comparable } from './__fixtures__/migrations.js'
import {
  createScenarioProject,
  expectLastMigrationRoundTrips,
  openScenarioDatabase,
  type ScenarioProject,
  splitMigrationSql,
  tick,
} from './__fixtures__/scenario-project.js'
import { openTestDatabase } from './__fixtures__/sqlite.js'

const main = defineRepo({ name: 'main', url: 'file:unused.db' })
const analytics = defineRepo({ name: 'analytics', url: 'file:unused-analytics.db' })

let project: ScenarioProject
beforeEach(async () => {
  project = await createScenarioProject()
})
afterEach(async () => {
  await project.remove()
})

const User = defineResource({
  name: 'User',
  attributes: { id: attr.uuidPrimaryKey(), email: attr.ciString({ allowNull: false }) },
  identities: { uniqueEmail: ['email'] },
  sqlite: { repo: main, table: 'users' },
})
const eventOf = (attributes: Record<string, ReturnType<typeof attr.string>> = {}): AnyResource =>
  defineResource({
    name: 'Event',
    attributes: { id: attr.integerPrimaryKey(), kind: attr.string({ allowNull: false }), ...attributes },
    sqlite: { repo: analytics, table: 'events' },
  })
const blog = defineDomain({ name: 'blog', resources: [User] })
const tracking = (event: AnyResource) => defineDomain({ name: 'tracking', resources: [event] })

describe('several repos', () => {
  test('each repo gets its own migration folder and snapshots, applied to its own database', async () => {
    const result = await project.generate([blog, tracking(eventOf())], { now: tick(0) })
    expect(result.repos.map((repo) => [repo.repo, repo.migration?.folder, repo.changedTables])).toEqual([
      ['analytics', '20260102030405_migrate_resources1', ['events']],
      ['main', '20260102030405_migrate_resources1', ['users']],
    ])
    expect(Object.keys(await project.files()).sort()).toEqual([
      'migrations/analytics/20260102030405_migrate_resources1/down.sql',
      'migrations/analytics/20260102030405_migrate_resources1/migration.sql',
      'migrations/analytics/20260102030405_migrate_resources1/snapshot.json',
      'migrations/main/20260102030405_migrate_resources1/down.sql',
      'migrations/main/20260102030405_migrate_resources1/migration.sql',
      'migrations/main/20260102030405_migrate_resources1/snapshot.json',
      'resource_snapshots/analytics/events/20260102030405.json',
      'resource_snapshots/main/users/20260102030405.json',
    ])
    for (const repo of ['main', 'analytics']) {
      const db = await openScenarioDatabase(project, repo)
      try {
        await db.upAll()
        expect(Object.keys((await db.schema()).tables)).toEqual([repo === 'main' ? 'users' : 'events'])
      } finally {
        await db.close()
      }
    }
  })

  test('a change in one repo writes a migration for that repo only', async () => {
    await project.generate([blog, tracking(eventOf())], { now: tick(0) })
    const next = [blog, tracking(eventOf({ source: attr.string() }))]
    const result = await project.generate(next, { now: tick(1) })
    expect(result.repos.map((repo) => [repo.repo, repo.migration?.up ?? null])).toEqual([
      ['analytics', ['ALTER TABLE `events` ADD `source` text;']],
      ['main', null],
    ])
    expect(await project.folders('analytics')).toEqual([
      '20260102030405_migrate_resources1',
      '20260102030406_migrate_resources2',
    ])
    expect(await project.folders('main')).toEqual(['20260102030405_migrate_resources1'])
    await expectLastMigrationRoundTrips(project, next, { repo: 'analytics' })
  })

  test('the repo option limits the run to the repos named', async () => {
    const result = await project.generate([blog, tracking(eventOf())], { now: tick(0), repo: ['analytics'] })
    expect(result.repos.map((repo) => repo.repo)).toEqual(['analytics'])
    expect(await project.folders('main')).toEqual([])
  })
})

describe('files on disk (DESIGN.md section 4)', () => {
  test('folders <YYYYMMDDHHMMSS>_<name> in UTC, strictly increasing, with migration.sql, down.sql and snapshot.json', async () => {
    await project.generate(blog, { now: tick(0) })
    // The same clock again: the second folder still gets a later timestamp.
    const WithName = defineResource({
      name: 'User',
      attributes: { id: attr.uuidPrimaryKey(), email: attr.ciString({ allowNull: false }), name: attr.string() },
      identities: { uniqueEmail: ['email'] },
      sqlite: { repo: main, table: 'users' },
    })
    const second = await project.generate(defineDomain({ name: 'blog', resources: [WithName] }), {
      now: tick(0),
      name: 'add_user_name',
    })
    const files = await project.files()
    expect(Object.keys(files).sort()).toEqual([
      'migrations/main/20260102030405_migrate_resources1/down.sql',
      'migrations/main/20260102030405_migrate_resources1/migration.sql',
      'migrations/main/20260102030405_migrate_resources1/snapshot.json',
      'migrations/main/20260102030406_add_user_name/down.sql',
      'migrations/main/20260102030406_add_user_name/migration.sql',
      'migrations/main/20260102030406_add_user_name/snapshot.json',
      'resource_snapshots/main/users/20260102030405.json',
      'resource_snapshots/main/users/20260102030406.json',
    ])
    expect(files['migrations/main/20260102030406_add_user_name/migration.sql']).toBe(
      'ALTER TABLE `users` ADD `name` text;',
    )
    expect(files['migrations/main/20260102030405_migrate_resources1/migration.sql']).toBe(
      'CREATE TABLE `users` (\n\t`id` text PRIMARY KEY NOT NULL,\n\t`email` text COLLATE NOCASE NOT NULL\n);\n' +
        '--> statement-breakpoint\n' +
        'CREATE UNIQUE INDEX `users_unique_email_index` ON `users` (`email`);',
    )
    expect(second.repos[0]?.migration?.down).toEqual(
      splitMigrationSql(files['migrations/main/20260102030406_add_user_name/down.sql']!),
    )

    // drizzle-kit's snapshot format, each one chained to the one before.
    const first = JSON.parse(files['migrations/main/20260102030405_migrate_resources1/snapshot.json']!)
    const next = JSON.parse(files['migrations/main/20260102030406_add_user_name/snapshot.json']!)
    expect(first).toMatchObject({ version: '7', dialect: 'sqlite', prevIds: ['00000000-0000-0000-0000-000000000000'] })
    expect(next).toMatchObject({ version: '7', dialect: 'sqlite', prevIds: [first.id] })

    // One resource snapshot per table per change: version, table, repo, state, its hash, and the hash of the
    // snapshot it was generated from (DESIGN section 12; absent in a table's first snapshot).
    const firstSnapshot = JSON.parse(files['resource_snapshots/main/users/20260102030405.json']!)
    expect(Object.keys(firstSnapshot).sort()).toEqual(['hash', 'repo', 'state', 'table', 'version'])
    const snapshot = JSON.parse(files['resource_snapshots/main/users/20260102030406.json']!)
    expect(Object.keys(snapshot).sort()).toEqual(['hash', 'previousHash', 'repo', 'state', 'table', 'version'])
    expect(snapshot.previousHash).toBe(firstSnapshot.hash)
    expect(snapshot).toMatchObject({ version: 1, repo: 'main', table: 'users' })
    expect(snapshot.state.columns.map((column: { source: string }) => column.source)).toEqual(['id', 'email', 'name'])
  })

  test("drizzle-orm's migrate() applies the folders, records them by folder name, and builds the same schema", async () => {
    await project.generate(blog, { now: tick(0) })
    const db = await openTestDatabase()
    try {
      const orm = drizzle({ client: db.client })
      const migrationsFolder = join(project.cwd, 'migrations', 'main')
      await drizzleMigrate(orm, { migrationsFolder })
      // A later migration is picked up by drizzle-orm on a database it migrated before.
      const WithAge = defineResource({
        name: 'User',
        attributes: {
          id: attr.uuidPrimaryKey(),
          email: attr.ciString({ allowNull: false }),
          age: attr.integer({ allowNull: false, default: 0 }),
        },
        identities: { uniqueEmail: ['email'] },
        sqlite: { repo: main, table: 'users' },
      })
      await project.generate(defineDomain({ name: 'blog', resources: [WithAge] }), { now: tick(1) })
      await drizzleMigrate(orm, { migrationsFolder })
      const recorded = await db.client.execute('SELECT name FROM __drizzle_migrations ORDER BY id')
      expect(recorded.rows.map((row) => row.name)).toEqual(await project.folders())
      const schema = await db.schema()
      delete schema.tables.__drizzle_migrations

      const ours = await openScenarioDatabase(project)
      try {
        await ours.upAll()
        expect(comparable(schema)).toEqual(comparable(await ours.schema()))
      } finally {
        await ours.close()
      }
    } finally {
      await db.close()
    }
  })
})

describe('corrupt resource snapshots', () => {
  const snapshotFile = () => join(project.cwd, 'resource_snapshots', 'main', 'users', '20260102030405.json')
  const WithName = defineResource({
    name: 'User',
    attributes: { id: attr.uuidPrimaryKey(), email: attr.ciString({ allowNull: false }), name: attr.string() },
    sqlite: { repo: main, table: 'users' },
  })

  test.each([
    ['not JSON', (_: string) => '{ "version": 1, ', 'snapshot_corrupt'],
    [
      'an unknown version',
      (text: string) => JSON.stringify({ ...JSON.parse(text), version: 99 }),
      'snapshot_unknown_version',
    ],
    [
      'a state edited by hand (its hash no longer matches)',
      (text: string) => {
        const snapshot = JSON.parse(text)
        snapshot.state.columns[1].allowNull = true
        return JSON.stringify(snapshot)
      },
      'snapshot_mismatch',
    ],
  ])('%s: an error naming the file, and nothing is written', async (_, corrupt, code) => {
    await project.generate(blog, { now: tick(0) })
    await writeFile(snapshotFile(), corrupt(await readFile(snapshotFile(), 'utf8')))
    const before = await project.files()
    const error = await project
      .generate(defineDomain({ name: 'blog', resources: [WithName] }), { now: tick(1) })
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(SnapshotError)
    expect((error as SnapshotError).code).toBe(code)
    expect((error as SnapshotError).file).toBe(snapshotFile())
    expect((error as SnapshotError).message.startsWith(`${snapshotFile()}: `)).toBe(true)
    expect(await project.files()).toEqual(before)
  })
})
