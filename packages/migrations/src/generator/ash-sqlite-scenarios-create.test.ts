/**
 * AshSqlite's migration generator scenarios (its test/migration_generator_test.exs), ported to this design:
 * first runs. Resources are written with the real DSL, resolved with resolveConfig, generated to disk, and
 * the folders applied to real SQLite files.
 */
import { attr, belongsTo, defineDomain, defineRepo, defineResource } from '@ash-sqlite/resource'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import {
  createScenarioProject,
  expectLastMigrationRoundTrips,
  openScenarioDatabase,
  type ScenarioProject,
  tick,
} from './__fixtures__/scenario-project.js'

const main = defineRepo({ name: 'main', url: 'file:unused.db' })

let project: ScenarioProject
beforeEach(async () => {
  project = await createScenarioProject()
})
afterEach(async () => {
  await project.remove()
})

/** AshSqlite's "creating initial snapshots" resource: identities, custom indexes, migration types and defaults. */
const Post = defineResource({
  name: 'Post',
  attributes: {
    id: attr.uuidPrimaryKey(),
    title: attr.string(),
    secondTitle: attr.string(),
    titleWithSource: attr.string({ source: 't_w_s' }),
    titleWithDefault: attr.string(),
    email: attr.ciString(),
  },
  identities: {
    title: ['title'],
    thing: ['title', 'secondTitle'],
    thingWithSource: ['title', 'titleWithSource'],
  },
  sqlite: {
    repo: main,
    table: 'posts',
    migrationTypes: { secondTitle: 'varchar(16)' },
    migrationDefaults: { titleWithDefault: "'fred'" },
    customIndexes: [{ fields: ['id'] }, { fields: ['id'], unique: true, name: 'test_unique_index' }],
  },
})
const blog = defineDomain({ name: 'blog', resources: [Post] })

describe('creating the first migration', () => {
  test('creates the table with its columns, identity indexes and custom indexes, and drops it on the way down', async () => {
    const result = await project.generate(blog, { now: tick(0) })
    expect(result.repos[0]?.migration?.up).toEqual([
      'CREATE TABLE `posts` (\n' +
        '\t`id` text PRIMARY KEY NOT NULL,\n' +
        '\t`title` text,\n' +
        '\t`second_title` varchar(16),\n' +
        '\t`t_w_s` text,\n' +
        "\t`title_with_default` text DEFAULT 'fred',\n" +
        '\t`email` text COLLATE NOCASE\n' +
        ');\n',
      // Identities in name order, then custom indexes in definition order.
      'CREATE UNIQUE INDEX `posts_thing_index` ON `posts` (`title`,`second_title`);',
      'CREATE UNIQUE INDEX `posts_thing_with_source_index` ON `posts` (`title`,`t_w_s`);',
      'CREATE UNIQUE INDEX `posts_title_index` ON `posts` (`title`);',
      'CREATE INDEX `posts_id_index` ON `posts` (`id`);',
      'CREATE UNIQUE INDEX `test_unique_index` ON `posts` (`id`);',
    ])
    expect(result.repos[0]?.migration?.down).toEqual([
      'DROP INDEX IF EXISTS `posts_thing_index`;',
      'DROP INDEX IF EXISTS `posts_thing_with_source_index`;',
      'DROP INDEX IF EXISTS `posts_title_index`;',
      'DROP INDEX IF EXISTS `posts_id_index`;',
      'DROP INDEX IF EXISTS `test_unique_index`;',
      'DROP TABLE `posts`;',
    ])
    await expectLastMigrationRoundTrips(project, blog)
  })

  test('the indexes and the migration default work in the database', async () => {
    await project.generate(blog, { now: tick(0) })
    const db = await openScenarioDatabase(project)
    try {
      await db.upAll()
      await db.client.execute("INSERT INTO posts (id, title, email) VALUES ('p1', 'Hello', 'A@B.C')")
      expect(await db.rows('SELECT title_with_default FROM posts')).toEqual([{ title_with_default: 'fred' }])
      await expect(db.client.execute("INSERT INTO posts (id, title) VALUES ('p2', 'Hello')")).rejects.toThrow(
        /UNIQUE constraint failed: posts.title/,
      )
      expect(await db.rows("SELECT id FROM posts WHERE email = 'a@b.c'")).toEqual([{ id: 'p1' }])
    } finally {
      await db.close()
    }
  })

  test('running it again without changes writes nothing', async () => {
    await project.generate(blog, { now: tick(0) })
    const before = await project.files()
    const again = await project.generate(blog, { now: tick(1) })
    expect(again.changed).toBe(false)
    expect(again.files).toEqual([])
    expect(await project.files()).toEqual(before)
    expect(await project.folders()).toEqual(['20260102030405_migrate_resources1'])
  })

  test('check: true reports pending changes and writes nothing at all', async () => {
    const result = await project.generate(blog, { now: tick(0), check: true })
    expect(result.changed).toBe(true)
    expect(result.files.map((file) => file.path.slice(project.cwd.length + 1)).sort()).toEqual([
      'migrations/main/20260102030405_migrate_resources1/down.sql',
      'migrations/main/20260102030405_migrate_resources1/migration.sql',
      'migrations/main/20260102030405_migrate_resources1/snapshot.json',
      'resource_snapshots/main/posts/20260102030405.json',
    ])
    expect(await project.files()).toEqual({})
    await project.generate(blog, { now: tick(0) })
    const unchanged = await project.generate(blog, { now: tick(1), check: true })
    expect(unchanged.changed).toBe(false)
  })
})

describe('generated integer keys', () => {
  const Counter = defineResource({
    name: 'Counter',
    attributes: { id: attr.integerPrimaryKey(), views: attr.integer() },
    sqlite: { repo: main, table: 'counters' },
  })
  const counters = defineDomain({ name: 'counters', resources: [Counter] })

  test('integerPrimaryKey is INTEGER PRIMARY KEY AUTOINCREMENT, and the database numbers the rows', async () => {
    const result = await project.generate(counters, { now: tick(0) })
    expect(result.repos[0]?.migration?.up).toEqual([
      'CREATE TABLE `counters` (\n\t`id` integer PRIMARY KEY AUTOINCREMENT,\n\t`views` integer\n);\n',
    ])
    await expectLastMigrationRoundTrips(project, counters, {
      afterUp: async (db) => {
        await db.client.execute('INSERT INTO counters (views) VALUES (1), (2)')
        await db.client.execute('DELETE FROM counters WHERE id = 2')
        await db.client.execute('INSERT INTO counters (views) VALUES (3)')
        // AUTOINCREMENT never reuses a deleted key.
        expect(await db.rows('SELECT id, views FROM counters ORDER BY id')).toEqual([
          { id: 1, views: 1 },
          { id: 3, views: 3 },
        ])
      },
    })
  })
})

describe('strict tables', () => {
  test('strict: true creates a STRICT table that rejects values of the wrong type', async () => {
    const Strict = defineResource({
      name: 'Post',
      attributes: { id: attr.uuidPrimaryKey(), title: attr.string(), views: attr.integer() },
      sqlite: { repo: main, table: 'posts', strict: true },
    })
    const domain = defineDomain({ name: 'blog', resources: [Strict] })
    const result = await project.generate(domain, { now: tick(0) })
    expect(result.repos[0]?.migration?.up).toEqual([
      'CREATE TABLE `posts` (\n\t`id` text PRIMARY KEY NOT NULL,\n\t`title` text,\n\t`views` integer\n) STRICT;\n',
    ])
    await expectLastMigrationRoundTrips(project, domain, {
      afterUp: async (db) => {
        await expect(db.client.execute("INSERT INTO posts (id, views) VALUES ('p1', 'not a number')")).rejects.toThrow(
          /cannot store TEXT value in INTEGER column posts.views/,
        )
      },
    })
  })
})

describe('references inferred from belongsTo', () => {
  test('the key column takes the type of a uuid destination key, and gets a foreign key', async () => {
    const Target = defineResource({
      name: 'Post',
      attributes: { id: attr.uuidPrimaryKey(), title: attr.string() },
      sqlite: { repo: main, table: 'posts' },
    })
    const Source = defineResource({
      name: 'Comment',
      attributes: { id: attr.uuidPrimaryKey(), name: attr.string() },
      relationships: { post: belongsTo(() => Target) },
      sqlite: { repo: main, table: 'comments' },
    })
    const domain = defineDomain({ name: 'blog', resources: [Target, Source] })
    const result = await project.generate(domain, { now: tick(0) })
    expect(result.repos[0]?.migration?.up).toEqual([
      'CREATE TABLE `comments` (\n' +
        '\t`id` text PRIMARY KEY NOT NULL,\n' +
        '\t`name` text,\n' +
        '\t`post_id` text,\n' +
        '\tCONSTRAINT `fk_comments_post_id_posts_id_fk` FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`)\n' +
        ');\n',
      'CREATE TABLE `posts` (\n\t`id` text PRIMARY KEY NOT NULL,\n\t`title` text\n);\n',
    ])
    await expectLastMigrationRoundTrips(project, domain, {
      afterUp: async (db) => {
        await expect(
          db.client.execute("INSERT INTO comments (id, post_id) VALUES ('c1', 'no such post')"),
        ).rejects.toThrow(/FOREIGN KEY constraint failed/)
      },
    })
  })

  test('an integer destination key gives an integer key column; destinationAttribute picks another column', async () => {
    const Author = defineResource({
      name: 'Author',
      attributes: { id: attr.integerPrimaryKey(), code: attr.string({ allowNull: false }) },
      identities: { uniqueCode: ['code'] },
      sqlite: { repo: main, table: 'authors' },
    })
    const Book = defineResource({
      name: 'Book',
      attributes: { id: attr.integerPrimaryKey() },
      relationships: {
        author: belongsTo(() => Author, { allowNull: false }),
        coauthor: belongsTo(() => Author, { destinationAttribute: 'code' }),
      },
      sqlite: { repo: main, table: 'books', references: { author: { onDelete: 'delete' } } },
    })
    const domain = defineDomain({ name: 'library', resources: [Author, Book] })
    const result = await project.generate(domain, { now: tick(0) })
    expect(result.repos[0]?.migration?.up).toEqual([
      'CREATE TABLE `authors` (\n\t`id` integer PRIMARY KEY AUTOINCREMENT,\n\t`code` text NOT NULL\n);\n',
      'CREATE TABLE `books` (\n' +
        '\t`id` integer PRIMARY KEY AUTOINCREMENT,\n' +
        '\t`author_id` integer NOT NULL,\n' +
        '\t`coauthor_id` text,\n' +
        '\tCONSTRAINT `fk_books_author_id_authors_id_fk` FOREIGN KEY (`author_id`) REFERENCES `authors`(`id`) ON DELETE CASCADE,\n' +
        '\tCONSTRAINT `fk_books_coauthor_id_authors_code_fk` FOREIGN KEY (`coauthor_id`) REFERENCES `authors`(`code`)\n' +
        ');\n',
      'CREATE UNIQUE INDEX `authors_unique_code_index` ON `authors` (`code`);',
    ])
    await expectLastMigrationRoundTrips(project, domain, {
      afterUp: async (db) => {
        await db.client.execute("INSERT INTO authors (code) VALUES ('ann')")
        await db.client.execute("INSERT INTO books (author_id, coauthor_id) VALUES (1, 'ann')")
        await db.client.execute('DELETE FROM authors WHERE id = 1')
        expect(await db.rows('SELECT count(*) AS n FROM books')).toEqual([{ n: 0 }])
      },
    })
  })
})

describe('resources that are not migrated', () => {
  test('migrate: false leaves the table out, and a foreign key to it is still written', async () => {
    const Legacy = defineResource({
      name: 'Legacy',
      attributes: { code: attr.string({ primaryKey: true }), label: attr.string() },
      sqlite: { repo: main, table: 'legacy_codes', migrate: false },
    })
    const Item = defineResource({
      name: 'Item',
      attributes: { id: attr.integerPrimaryKey() },
      relationships: { legacy: belongsTo(() => Legacy, { attribute: 'legacyCode' }) },
      sqlite: { repo: main, table: 'items', references: { legacy: { onDelete: 'nilify' } } },
    })
    const domain = defineDomain({ name: 'shop', resources: [Legacy, Item] })
    const result = await project.generate(domain, { now: tick(0) })
    expect(result.repos[0]?.changedTables).toEqual(['items'])
    expect(result.repos[0]?.migration?.up).toEqual([
      'CREATE TABLE `items` (\n' +
        '\t`id` integer PRIMARY KEY AUTOINCREMENT,\n' +
        '\t`legacy_code` text,\n' +
        '\tCONSTRAINT `fk_items_legacy_code_legacy_codes_code_fk` FOREIGN KEY (`legacy_code`) REFERENCES `legacy_codes`(`code`) ON DELETE SET NULL\n' +
        ');\n',
    ])
    await expectLastMigrationRoundTrips(project, domain, {
      afterUp: async (db) => {
        // The table is somebody else's: created outside the migrations, the foreign key works against it.
        await db.client.execute('CREATE TABLE legacy_codes (code text PRIMARY KEY, label text)')
        await db.client.execute("INSERT INTO legacy_codes (code) VALUES ('a')")
        await db.client.execute("INSERT INTO items (legacy_code) VALUES ('a')")
        await db.client.execute("DELETE FROM legacy_codes WHERE code = 'a'")
        expect(await db.rows('SELECT legacy_code FROM items')).toEqual([{ legacy_code: null }])
        await db.client.execute('DROP TABLE legacy_codes')
      },
    })
  })
})
