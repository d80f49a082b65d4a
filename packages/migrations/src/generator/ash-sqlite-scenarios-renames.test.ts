/**
 * AshSqlite's rename scenarios, ported to this design. AshSqlite asks on the terminal; here the same
 * decision comes from `renamedFrom`, a `--rename` flag or the `resolveAmbiguity` callback (the CLI's
 * prompt), and without any of them the run stops (exit code 2) instead of guessing.
 */
import { type AnyResource, attr, belongsTo, defineDomain, defineRepo, defineResource } from '@ash-sqlite/resource'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { expectedRebuild } from './__fixtures__/migrations.js'
import {
  createScenarioProject,
  expectLastMigrationRoundTrips,
  type ScenarioProject,
  tick,
} from './__fixtures__/scenario-project.js'
import { RenameAmbiguityError } from './errors.js'
import type { RenameAmbiguity, RenameDecision } from './types.js'

const main = defineRepo({ name: 'main', url: 'file:unused.db' })
const domain = (...resources: AnyResource[]) => defineDomain({ name: 'blog', resources })

let project: ScenarioProject
beforeEach(async () => {
  project = await createScenarioProject()
})
afterEach(async () => {
  await project.remove()
})

const Titled = defineResource({
  name: 'Post',
  attributes: { id: attr.uuidPrimaryKey(), title: attr.string() },
  sqlite: { repo: main, table: 'posts' },
})
const Named = defineResource({
  name: 'Post',
  attributes: { id: attr.uuidPrimaryKey(), name: attr.string() },
  sqlite: { repo: main, table: 'posts' },
})
const renameUp = ['ALTER TABLE `posts` RENAME COLUMN `title` TO `name`;']
const renameDown = ['ALTER TABLE `posts` RENAME COLUMN `name` TO `title`;']
const keepsTheTitles = {
  seed: ["INSERT INTO posts (id, title) VALUES ('p1', 'kept')"],
  afterUp: async (db: { rows(sql: string): Promise<Record<string, unknown>[]> }) =>
    expect(await db.rows('SELECT id, name FROM posts')).toEqual([{ id: 'p1', name: 'kept' }]),
  afterDown: async (db: { rows(sql: string): Promise<Record<string, unknown>[]> }) =>
    expect(await db.rows('SELECT id, title FROM posts')).toEqual([{ id: 'p1', title: 'kept' }]),
}

/** A resolver that answers from a table and records what it was asked. */
function resolver(answers: Record<string, RenameDecision>) {
  const asked: RenameAmbiguity[] = []
  const resolve = async (ambiguity: RenameAmbiguity): Promise<RenameDecision> => {
    asked.push(ambiguity)
    const answer = answers[ambiguity.name]
    if (answer === undefined) throw new Error(`unexpected question about ${ambiguity.name}`)
    return answer
  }
  return { asked, resolve }
}

describe('renaming a column', () => {
  test('renamedFrom on the attribute renames it, with no question asked', async () => {
    await project.generate(domain(Titled), { now: tick(0) })
    const Declared = defineResource({
      name: 'Post',
      attributes: { id: attr.uuidPrimaryKey(), name: attr.string({ renamedFrom: 'title' }) },
      sqlite: { repo: main, table: 'posts' },
    })
    const result = await project.generate(domain(Declared), { now: tick(1) })
    expect(result.repos[0]?.migration?.up).toEqual(renameUp)
    expect(result.repos[0]?.migration?.down).toEqual(renameDown)
    await expectLastMigrationRoundTrips(project, domain(Declared), keepsTheTitles)
    // renamedFrom can stay in the code: the next run has nothing to do.
    expect((await project.generate(domain(Declared), { now: tick(2) })).changed).toBe(false)
  })

  test('the --rename flag renames it', async () => {
    await project.generate(domain(Titled), { now: tick(0) })
    const result = await project.generate(domain(Named), {
      now: tick(1),
      renames: [{ kind: 'column', table: 'posts', from: 'title', to: 'name' }],
    })
    expect(result.repos[0]?.migration?.up).toEqual(renameUp)
    await expectLastMigrationRoundTrips(project, domain(Named), keepsTheTitles)
  })

  test('a resolver answering "rename" renames it; the down migration renames it back', async () => {
    await project.generate(domain(Titled), { now: tick(0) })
    const { asked, resolve } = resolver({ name: { action: 'rename', from: 'title' } })
    const result = await project.generate(domain(Named), { now: tick(1), resolveAmbiguity: resolve })
    expect(asked).toEqual([
      {
        repo: 'main',
        kind: 'column',
        table: 'posts',
        name: 'name',
        candidates: [{ from: 'title', flag: '--rename posts.title=name' }],
      },
    ])
    expect(result.repos[0]?.migration?.up).toEqual(renameUp)
    expect(result.repos[0]?.migration?.down).toEqual(renameDown)
    await expectLastMigrationRoundTrips(project, domain(Named), keepsTheTitles)
  })

  test('a rename that also makes the column NOT NULL renames, then rebuilds, keeping the rows', async () => {
    await project.generate(domain(Titled), { now: tick(0) })
    const Required = defineResource({
      name: 'Post',
      attributes: { id: attr.uuidPrimaryKey(), name: attr.string({ allowNull: false }) },
      sqlite: { repo: main, table: 'posts' },
    })
    const { resolve } = resolver({ name: { action: 'rename', from: 'title' } })
    const result = await project.generate(domain(Required), { now: tick(1), resolveAmbiguity: resolve })
    expect(result.repos[0]?.migration?.up).toEqual([
      ...renameUp,
      ...expectedRebuild(
        'posts',
        'CREATE TABLE `__new_posts` (\n\t`id` text PRIMARY KEY NOT NULL,\n\t`name` text NOT NULL\n);\n',
        '`id`, `name`',
      ),
    ])
    expect(result.repos[0]?.warnings.map((warning) => warning.kind)).toEqual(['not_null'])
    await expectLastMigrationRoundTrips(project, domain(Required), keepsTheTitles)
  })

  test('a resolver answering "create" adds the new column and drops the old one', async () => {
    await project.generate(domain(Titled), { now: tick(0) })
    const { resolve } = resolver({ name: { action: 'create' } })
    const result = await project.generate(domain(Named), { now: tick(1), resolveAmbiguity: resolve })
    expect(result.repos[0]?.migration?.up).toEqual([
      'ALTER TABLE `posts` ADD `name` text;',
      'ALTER TABLE `posts` DROP COLUMN `title`;',
    ])
    expect(result.repos[0]?.migration?.down).toEqual([
      'ALTER TABLE `posts` ADD `title` text;',
      'ALTER TABLE `posts` DROP COLUMN `name`;',
    ])
    expect(result.repos[0]?.warnings.map((warning) => warning.message)).toEqual([
      'column posts.title is dropped with its data',
    ])
    await expectLastMigrationRoundTrips(project, domain(Named), {
      seed: ["INSERT INTO posts (id, title) VALUES ('p1', 'lost')"],
      afterUp: async (db) => expect(await db.rows('SELECT id, name FROM posts')).toEqual([{ id: 'p1', name: null }]),
    })
  })

  test('without a resolver the run stops with exit code 2, names the flag that decides, and writes nothing', async () => {
    await project.generate(domain(Titled), { now: tick(0) })
    const before = await project.files()
    const error = await project.generate(domain(Named), { now: tick(1) }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(RenameAmbiguityError)
    expect((error as RenameAmbiguityError).exitCode).toBe(2)
    expect((error as RenameAmbiguityError).message).toContain(
      '[main] column posts.name is new and title was dropped: --rename posts.title=name',
    )
    expect(await project.files()).toEqual(before)
  })

  test('with two new columns and one dropped, the resolver picks which one the old column became', async () => {
    await project.generate(domain(Titled), { now: tick(0) })
    const Two = defineResource({
      name: 'Post',
      attributes: {
        id: attr.uuidPrimaryKey(),
        name: attr.string({ allowNull: false, default: '' }),
        subject: attr.string(),
      },
      sqlite: { repo: main, table: 'posts' },
    })
    const { asked, resolve } = resolver({ name: { action: 'create' }, subject: { action: 'rename', from: 'title' } })
    const result = await project.generate(domain(Two), { now: tick(1), resolveAmbiguity: resolve })
    expect(asked.map((ambiguity) => [ambiguity.name, ambiguity.candidates.map((candidate) => candidate.from)])).toEqual(
      [
        ['name', ['title']],
        ['subject', ['title']],
      ],
    )
    expect(result.repos[0]?.migration?.up).toEqual([
      'ALTER TABLE `posts` RENAME COLUMN `title` TO `subject`;',
      "ALTER TABLE `posts` ADD `name` text DEFAULT '' NOT NULL;",
    ])
    expect(result.repos[0]?.migration?.down).toEqual([
      'ALTER TABLE `posts` RENAME COLUMN `subject` TO `title`;',
      'ALTER TABLE `posts` DROP COLUMN `name`;',
    ])
    await expectLastMigrationRoundTrips(project, domain(Two), {
      seed: ["INSERT INTO posts (id, title) VALUES ('p1', 'kept')"],
      afterUp: async (db) =>
        expect(await db.rows('SELECT id, name, subject FROM posts')).toEqual([{ id: 'p1', name: '', subject: 'kept' }]),
    })
  })
})

describe('renaming two relationships at once', () => {
  const User = defineResource({
    name: 'User',
    attributes: { id: attr.uuidPrimaryKey() },
    sqlite: { repo: main, table: 'users' },
  })
  const Before = defineResource({
    name: 'Post',
    attributes: { id: attr.uuidPrimaryKey() },
    relationships: { creator: belongsTo(() => User), contributer: belongsTo(() => User) },
    sqlite: { repo: main, table: 'posts' },
  })
  const After = defineResource({
    name: 'Post',
    attributes: { id: attr.uuidPrimaryKey() },
    relationships: { creator2: belongsTo(() => User), contributer2: belongsTo(() => User) },
    sqlite: { repo: main, table: 'posts' },
  })

  test('renames both key columns without adding duplicate columns, and keeps the keys', async () => {
    await project.generate(domain(User, Before), { now: tick(0) })
    const { asked, resolve } = resolver({
      contributer2_id: { action: 'rename', from: 'contributer_id' },
      creator2_id: { action: 'rename', from: 'creator_id' },
    })
    const result = await project.generate(domain(User, After), { now: tick(1), resolveAmbiguity: resolve })
    expect(asked.map((ambiguity) => [ambiguity.name, ambiguity.candidates.map((candidate) => candidate.from)])).toEqual(
      [
        ['contributer2_id', ['contributer_id', 'creator_id']],
        ['creator2_id', ['creator_id']],
      ],
    )
    // Only the renames: SQLite's RENAME COLUMN carries the foreign keys along (their constraint names, which
    // SQLite never reads, keep the old column names until a rebuild writes them anew).
    expect(result.repos[0]?.migration?.up).toEqual([
      'ALTER TABLE `posts` RENAME COLUMN `creator_id` TO `creator2_id`;',
      'ALTER TABLE `posts` RENAME COLUMN `contributer_id` TO `contributer2_id`;',
    ])
    expect(result.repos[0]?.migration?.down).toEqual([
      'ALTER TABLE `posts` RENAME COLUMN `creator2_id` TO `creator_id`;',
      'ALTER TABLE `posts` RENAME COLUMN `contributer2_id` TO `contributer_id`;',
    ])
    await expectLastMigrationRoundTrips(project, domain(User, After), {
      seed: [
        "INSERT INTO users (id) VALUES ('u1'), ('u2')",
        "INSERT INTO posts (id, creator_id, contributer_id) VALUES ('p1', 'u1', 'u2')",
      ],
      afterUp: async (db) =>
        expect(await db.rows('SELECT creator2_id, contributer2_id FROM posts')).toEqual([
          { creator2_id: 'u1', contributer2_id: 'u2' },
        ]),
      afterDown: async (db) =>
        expect(await db.rows('SELECT creator_id, contributer_id FROM posts')).toEqual([
          { creator_id: 'u1', contributer_id: 'u2' },
        ]),
    })
  })
})

describe('renaming a table', () => {
  const Articles = defineResource({
    name: 'Post',
    attributes: { id: attr.uuidPrimaryKey(), title: attr.string() },
    identities: { uniqueTitle: ['title'] },
    sqlite: { repo: main, table: 'articles', renamedFrom: 'posts' },
  })

  test('sqlite.renamedFrom renames the table (and its identity index), keeping the rows', async () => {
    const Posts = defineResource({
      name: 'Post',
      attributes: { id: attr.uuidPrimaryKey(), title: attr.string() },
      identities: { uniqueTitle: ['title'] },
      sqlite: { repo: main, table: 'posts' },
    })
    await project.generate(domain(Posts), { now: tick(0) })
    const result = await project.generate(domain(Articles), { now: tick(1) })
    expect(result.repos[0]?.changedTables).toEqual(['articles', 'posts'])
    expect(result.repos[0]?.migration?.up).toEqual([
      'ALTER TABLE `posts` RENAME TO `articles`;',
      'DROP INDEX IF EXISTS `posts_unique_title_index`;',
      'CREATE UNIQUE INDEX `articles_unique_title_index` ON `articles` (`title`);',
    ])
    await expectLastMigrationRoundTrips(project, domain(Articles), {
      seed: ["INSERT INTO posts (id, title) VALUES ('p1', 'kept')"],
      afterUp: async (db) =>
        expect(await db.rows('SELECT id, title FROM articles')).toEqual([{ id: 'p1', title: 'kept' }]),
      afterDown: async (db) =>
        expect(await db.rows('SELECT id, title FROM posts')).toEqual([{ id: 'p1', title: 'kept' }]),
    })
  })
})
