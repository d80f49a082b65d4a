import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { TableState } from '@ash-sqlite/resource'
import { parseSnapshot } from '@ash-sqlite/snapshot'
import { drizzle } from 'drizzle-orm/libsql'
import { migrate } from 'drizzle-orm/libsql/migrator'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { UsageError } from '../errors.js'
import { schemaOf } from './__fixtures__/migrations.js'
import { createTestProject, type TestProject } from './__fixtures__/project.js'
import { openTestDatabase } from './__fixtures__/sqlite.js'
import {
  column,
  customIndex,
  integerKey,
  reference,
  table,
  textKey,
  withColumn,
  withoutColumn,
} from './__fixtures__/states.js'
import { drizzleSnapshot } from './drizzle-diff.js'
import { loadDrizzleKit } from './drizzle-kit.js'
import { GenerateError, RenameAmbiguityError } from './errors.js'
import { generate } from './generate.js'
import type { GeneratorEvent, RenameAmbiguity } from './types.js'

const users = table('users', [textKey(), column('name'), column('email', 'text', { allowNull: false })])
const posts = table('posts', [
  integerKey(),
  column('title', 'text', { allowNull: false }),
  column('author_id', 'text', { references: reference('users', 'id', { onDelete: 'CASCADE' }) }),
])
const T0 = new Date('2026-01-02T03:04:05Z')
const T1 = new Date('2026-01-02T03:04:06Z')

let project: TestProject
beforeEach(async () => {
  project = await createTestProject()
})
afterEach(async () => {
  await project.remove()
})

describe('generate', () => {
  test('the first run writes a migration folder and one snapshot per table, all in place', async () => {
    const config = project.config({ main: [users, posts] })
    const result = await generate(config, { now: T0 })
    const folder = '20260102030405_migrate_resources1'
    expect(result.changed).toBe(true)
    expect(result.repos).toHaveLength(1)
    const [repo] = result.repos
    expect(repo?.changedTables).toEqual(['posts', 'users'])
    expect(repo?.migration?.folder).toBe(folder)
    expect(repo?.migration?.dir).toBe(join(project.cwd, 'migrations', 'main', folder))
    expect(repo?.snapshotFiles).toEqual([
      join(project.cwd, 'resource_snapshots/main/posts/20260102030405.json'),
      join(project.cwd, 'resource_snapshots/main/users/20260102030405.json'),
    ])

    const files = await project.files()
    expect(Object.keys(files).sort()).toEqual([
      `migrations/main/${folder}/down.sql`,
      `migrations/main/${folder}/migration.sql`,
      `migrations/main/${folder}/snapshot.json`,
      'resource_snapshots/main/posts/20260102030405.json',
      'resource_snapshots/main/users/20260102030405.json',
    ])
    expect(files[`migrations/main/${folder}/migration.sql`]).toBe(
      repo?.migration?.up.join('--> statement-breakpoint\n'),
    )
    expect(files[`migrations/main/${folder}/down.sql`]).toBe(
      'DROP TABLE `posts`;--> statement-breakpoint\nDROP TABLE `users`;',
    )
    const written = JSON.parse(files[`migrations/main/${folder}/snapshot.json`]!)
    expect(written).toMatchObject({
      version: '7',
      dialect: 'sqlite',
      prevIds: ['00000000-0000-0000-0000-000000000000'],
    })
    const snapshot = parseSnapshot(files['resource_snapshots/main/users/20260102030405.json']!, 'users')
    expect(snapshot.state).toEqual({ ...users, repo: 'main' })
    const kit = await loadDrizzleKit()
    const fresh = await drizzleSnapshot(kit, [posts, users], () => undefined)
    expect(written.ddl).toEqual(fresh.ddl)
    expect(result.files.map((file) => file.path).sort()).toEqual(
      Object.keys(files)
        .sort()
        .map((path) => join(project.cwd, path)),
    )
  })

  test('a second run without changes writes nothing', async () => {
    const config = project.config({ main: [users, posts] })
    await generate(config, { now: T0 })
    const before = await project.files()
    const events: GeneratorEvent[] = []
    const result = await generate(config, { now: T1, onEvent: (event) => events.push(event) })
    expect(result).toEqual({
      repos: [{ repo: 'main', migration: null, snapshotFiles: [], changedTables: [], warnings: [] }],
      files: [],
      removed: [],
      changed: false,
    })
    expect(events).toEqual([{ type: 'repo_unchanged', repo: 'main' }])
    expect(await project.files()).toEqual(before)
  })

  test('a change writes the next folder, chained to the previous snapshot, and only the changed table', async () => {
    await generate(project.config({ main: [users, posts] }), { now: T0 })
    const first = JSON.parse(
      await readFile(join(project.cwd, 'migrations/main/20260102030405_migrate_resources1/snapshot.json'), 'utf8'),
    )
    // Same clock: the folder still gets a later timestamp than the first one.
    const result = await generate(project.config({ main: [withColumn(users, column('age', 'integer')), posts] }), {
      now: T0,
    })
    const repo = result.repos[0]!
    expect(repo.migration?.folder).toBe('20260102030406_migrate_resources2')
    expect(repo.migration?.up).toEqual(['ALTER TABLE `users` ADD `age` integer;'])
    expect(repo.migration?.down).toEqual(['ALTER TABLE `users` DROP COLUMN `age`;'])
    expect(repo.changedTables).toEqual(['users'])
    expect(repo.snapshotFiles).toEqual([join(project.cwd, 'resource_snapshots/main/users/20260102030406.json')])
    const second = JSON.parse(
      await readFile(join(project.cwd, 'migrations/main/20260102030406_migrate_resources2/snapshot.json'), 'utf8'),
    )
    expect(second.prevIds).toEqual([first.id])
  })

  test("drizzle-orm's own migrator applies the folders", async () => {
    const config = project.config({ main: [users, posts] })
    await generate(config, { now: T0 })
    const next = [withColumn(users, column('age', 'integer', { allowNull: false, default: '0' })), posts]
    await generate(project.config({ main: next }), { now: T1 })
    const db = await openTestDatabase()
    try {
      await migrate(drizzle({ client: db.client }), { migrationsFolder: join(project.cwd, 'migrations', 'main') })
      const schema = await db.schema()
      delete schema.tables.__drizzle_migrations
      expect(schema).toEqual(await schemaOf(next.map((state) => ({ ...state, repo: 'main' }))))
    } finally {
      await db.close()
    }
  })

  test('a dropped table is dropped once, marked gone, and created again when it comes back', async () => {
    await generate(project.config({ main: [users, posts] }), { now: T0 })
    const dropped = await generate(project.config({ main: [users] }), { now: T1 })
    expect(dropped.repos[0]?.migration?.up).toEqual(['DROP TABLE `posts`;'])
    expect(dropped.repos[0]?.warnings.map((warning) => warning.kind)).toEqual(['drop_table'])
    const marker = parseSnapshot(
      await readFile(join(project.cwd, 'resource_snapshots/main/posts/20260102030406.json'), 'utf8'),
      'posts',
    )
    expect(marker.state.columns).toEqual([])

    expect((await generate(project.config({ main: [users] }), { now: T1 })).changed).toBe(false)
    const back = await generate(project.config({ main: [users, posts] }), { now: T1 })
    expect(back.repos[0]?.migration?.up[0]).toMatch(/^CREATE TABLE `posts` \(/)
  })

  test('check and dryRun compute every file and write none', async () => {
    const config = project.config({ main: [users, posts] })
    for (const mode of [{ check: true }, { dryRun: true }]) {
      const result = await generate(config, { now: T0, ...mode })
      expect(result.changed).toBe(true)
      expect(result.files.map((file) => file.path.slice(project.cwd.length + 1)).sort()).toEqual([
        'migrations/main/20260102030405_migrate_resources1/down.sql',
        'migrations/main/20260102030405_migrate_resources1/migration.sql',
        'migrations/main/20260102030405_migrate_resources1/snapshot.json',
        'resource_snapshots/main/posts/20260102030405.json',
        'resource_snapshots/main/users/20260102030405.json',
      ])
      expect(await project.files()).toEqual({})
    }
  })

  test('name, repo selection and their usage errors', async () => {
    const config = project.config({ main: [users], other: [table('things', [integerKey()])] })
    const result = await generate(config, { now: T0, name: 'add_things', repo: ['other'] })
    expect(result.repos.map((repo) => [repo.repo, repo.migration?.folder])).toEqual([
      ['other', '20260102030405_add_things'],
    ])
    await expect(generate(config, { repo: ['nope'] })).rejects.toThrow(
      new UsageError("--repo nope: no such repo (the config's repos: main, other)"),
    )
    await expect(generate(config, { name: 'add things' })).rejects.toThrow(UsageError)
  })

  test('a schema drizzle-kit would reject is an error naming the tables, and nothing is written', async () => {
    const clash = (name: string) =>
      table(name, [integerKey(), column('v')], { customIndexes: [customIndex('v_index', ['v'])] })
    const error = await generate(project.config({ main: [clash('a'), clash('b')] })).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(GenerateError)
    expect((error as GenerateError).message).toContain('index name v_index is used by tables a and b')
    expect(await project.files()).toEqual({})
  })

  test('only the attribute name changed: new snapshot, no migration', async () => {
    await generate(project.config({ main: [users] }), { now: T0 })
    const renamedAttribute = {
      ...users,
      columns: users.columns.map((c) => (c.source === 'name' ? { ...c, attribute: 'displayName' } : c)),
    }
    const result = await generate(project.config({ main: [renamedAttribute] }), { now: T1 })
    expect(result.changed).toBe(true)
    expect(result.repos[0]?.migration).toBeNull()
    expect(result.files.map((file) => file.path)).toEqual([
      join(project.cwd, 'resource_snapshots/main/users/20260102030406.json'),
    ])
  })

  test('--dont-drop-columns: no migration, the snapshot forgets the column, the next run sees no change', async () => {
    await generate(project.config({ main: [users] }), { now: T0 })
    const withoutName = withoutColumn(users, 'name')
    const result = await generate(project.config({ main: [withoutName] }), { now: T1, dontDropColumns: true })
    expect(result.repos[0]?.migration).toBeNull()
    expect(result.repos[0]?.warnings).toEqual([])
    expect((await generate(project.config({ main: [withoutName] }))).changed).toBe(false)
  })
})

describe('renames', () => {
  const renamed = table('users', [textKey(), column('full_name'), column('email', 'text', { allowNull: false })])
  const accounts = table('accounts', [integerKey()])

  test('without a resolver every ambiguity of every repo is reported with its flag, and nothing is written', async () => {
    await generate(project.config({ main: [users], other: [table('people', [integerKey()])] }), { now: T0 })
    const before = await project.files()
    const error = await generate(project.config({ main: [renamed], other: [accounts] }), { now: T1 }).catch(
      (caught: unknown) => caught,
    )
    expect(error).toBeInstanceOf(RenameAmbiguityError)
    const ambiguity = error as RenameAmbiguityError
    expect(ambiguity.exitCode).toBe(2)
    expect(ambiguity.code).toBe('rename_ambiguity')
    expect(ambiguity.ambiguities.map((a) => a.candidates.map((candidate) => candidate.flag))).toEqual([
      ['--rename users.name=full_name'],
      ['--rename-table people=accounts'],
    ])
    expect(ambiguity.message).toContain(
      '[main] column users.full_name is new and name was dropped: --rename users.name=full_name',
    )
    expect(ambiguity.message).toContain(
      '[other] table accounts is new and people was dropped: --rename-table people=accounts',
    )
    expect(await project.files()).toEqual(before)
  })

  test('a resolver answering "rename" gives a rename; its flag twin gives the same', async () => {
    await generate(project.config({ main: [users] }), { now: T0 })
    const asked: RenameAmbiguity[] = []
    const viaPrompt = await generate(project.config({ main: [renamed] }), {
      now: T1,
      check: true,
      resolveAmbiguity: async (ambiguity) => {
        asked.push(ambiguity)
        return { action: 'rename', from: 'name' }
      },
    })
    expect(asked).toEqual([
      {
        repo: 'main',
        kind: 'column',
        table: 'users',
        name: 'full_name',
        candidates: [{ from: 'name', flag: '--rename users.name=full_name' }],
      },
    ])
    expect(viaPrompt.repos[0]?.migration?.up).toEqual(['ALTER TABLE `users` RENAME COLUMN `name` TO `full_name`;'])
    const viaFlag = await generate(project.config({ main: [renamed] }), {
      now: T1,
      check: true,
      renames: [{ kind: 'column', table: 'users', from: 'name', to: 'full_name' }],
    })
    expect(viaFlag.repos[0]?.migration?.up).toEqual(viaPrompt.repos[0]?.migration?.up)
  })

  test('a resolver answering "create" (or --no-renames) drops the old column and adds the new one', async () => {
    await generate(project.config({ main: [users] }), { now: T0 })
    const expected = ['ALTER TABLE `users` ADD `full_name` text;', 'ALTER TABLE `users` DROP COLUMN `name`;']
    const viaPrompt = await generate(project.config({ main: [renamed] }), {
      check: true,
      resolveAmbiguity: async () => ({ action: 'create' }),
    })
    expect(viaPrompt.repos[0]?.migration?.up).toEqual(expected)
    expect(viaPrompt.repos[0]?.warnings.map((warning) => warning.kind)).toEqual(['drop_column'])
    const viaFlag = await generate(project.config({ main: [renamed] }), { check: true, noRenames: true })
    expect(viaFlag.repos[0]?.migration?.up).toEqual(expected)
  })

  test('renamedFrom decides, and stays harmless after the rename is migrated', async () => {
    await generate(project.config({ main: [users] }), { now: T0 })
    const declared = { main: { tables: {}, columns: { users: { full_name: 'name' } } } }
    const result = await generate(project.config({ main: [renamed] }, declared), { now: T1 })
    expect(result.repos[0]?.migration?.up).toEqual(['ALTER TABLE `users` RENAME COLUMN `name` TO `full_name`;'])
    expect((await generate(project.config({ main: [renamed] }, declared))).changed).toBe(false)
  })

  test('a flag that matches no change is a usage error naming it', async () => {
    await generate(project.config({ main: [users] }), { now: T0 })
    const next = withColumn(users, column('age', 'integer'))
    await expect(
      generate(project.config({ main: [next] }), { renames: [{ kind: 'table', from: 'people', to: 'accounts' }] }),
    ).rejects.toThrow(
      new UsageError(
        'rename flags that match no change (nothing was written):\n' +
          '  --rename-table people=accounts: no table people was dropped while a table accounts was added',
      ),
    )
  })
})

describe('many tables', () => {
  test('an unchanged table with an index and foreign keys costs nothing on the next run', async () => {
    const states: TableState[] = Array.from({ length: 30 }, (_, index) =>
      table(
        `t${index}`,
        [integerKey(), column('v'), column('ref', 'integer', { references: reference(`t${(index + 1) % 30}`) })],
        { customIndexes: [customIndex(`t${index}_v_index`, ['v'])] },
      ),
    )
    await generate(project.config({ main: states }), { now: T0 })
    const changedOne = states.map((state, index) => (index === 7 ? withColumn(state, column('w')) : state))
    const result = await generate(project.config({ main: changedOne }), { now: T1 })
    expect(result.repos[0]?.changedTables).toEqual(['t7'])
    expect(result.repos[0]?.migration?.up).toEqual(['ALTER TABLE `t7` ADD `w` text;'])
  })
})
