/**
 * AshSqlite's migration generator scenarios, ported to this design: follow-up migrations that change a
 * table. Each generated migration is applied to a real SQLite file, rows included where the scenario is
 * about data, and rolled back.
 */
import { type AnyResource, attr, belongsTo, defineDomain, defineRepo, defineResource } from '@ash-sqlite/resource'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { expectedRebuild } from './__fixtures__/migrations.js'
import {
  createScenarioProject,
  expectLastMigrationRoundTrips,
  freshSchema,
  openScenarioDatabase,
  type ScenarioProject,
  tick,
} from './__fixtures__/scenario-project.js'

const main = defineRepo({ name: 'main', url: 'file:unused.db' })
const domain = (...resources: AnyResource[]) => defineDomain({ name: 'blog', resources })

let project: ScenarioProject
beforeEach(async () => {
  project = await createScenarioProject()
})
afterEach(async () => {
  await project.remove()
})

/** drizzle-kit's table rebuild, as it writes it: the new table, the copy, the swap. */
function rebuild(table: string, createNew: string, columns: string, sources?: string): string[] {
  return expectedRebuild(table, createNew, columns, sources)
}

describe('adding a field', () => {
  const before = defineResource({
    name: 'Post',
    attributes: { id: attr.uuidPrimaryKey(), title: attr.string() },
    identities: { title: ['title'] },
    sqlite: { repo: main, table: 'posts' },
  })
  const after = defineResource({
    name: 'Post',
    attributes: { id: attr.uuidPrimaryKey(), title: attr.string(), name: attr.string({ allowNull: false }) },
    identities: { title: ['title'] },
    sqlite: { repo: main, table: 'posts' },
  })

  test('adds the column, NOT NULL as declared, with a warning, and drops it on the way down', async () => {
    await project.generate(domain(before), { now: tick(0) })
    const result = await project.generate(domain(after), { now: tick(1) })
    const repo = result.repos[0]!
    expect(repo.migration?.folder).toBe('20260102030406_migrate_resources2')
    expect(repo.migration?.up).toEqual(['ALTER TABLE `posts` ADD `name` text NOT NULL;'])
    expect(repo.migration?.down).toEqual(['ALTER TABLE `posts` DROP COLUMN `name`;'])
    expect(repo.warnings.map((warning) => [warning.kind, warning.column])).toEqual([['add_not_null_column', 'name']])
    await expectLastMigrationRoundTrips(project, domain(after))
  })

  test('SQLite refuses that column on a table with rows: the migration rolls back and leaves the table as it was', async () => {
    await project.generate(domain(before), { now: tick(0) })
    await project.generate(domain(after), { now: tick(1) })
    const [first, second] = await project.folders()
    const db = await openScenarioDatabase(project)
    try {
      await db.run(first!, 'up')
      await db.client.execute("INSERT INTO posts (id, title) VALUES ('p1', 'kept')")
      const schema = await db.schema()
      await expect(db.run(second!, 'up')).rejects.toThrow(/Cannot add a NOT NULL column with default value NULL/)
      expect(await db.schema()).toEqual(schema)
      expect(await db.rows('SELECT id, title FROM posts')).toEqual([{ id: 'p1', title: 'kept' }])
    } finally {
      await db.close()
    }
  })
})

describe('resources sharing a table', () => {
  test('a NOT NULL attribute that only some of the resources define is added as a nullable column', async () => {
    const Post = defineResource({
      name: 'Post',
      attributes: { id: attr.uuidPrimaryKey(), title: attr.string() },
      sqlite: { repo: main, table: 'posts' },
    })
    await project.generate(domain(Post), { now: tick(0) })
    const PostWithExample = defineResource({
      name: 'Post',
      attributes: { id: attr.uuidPrimaryKey(), title: attr.string(), example: attr.string({ allowNull: false }) },
      sqlite: { repo: main, table: 'posts' },
    })
    const Post2 = defineResource({
      name: 'Post2',
      attributes: { id: attr.uuidPrimaryKey() },
      sqlite: { repo: main, table: 'posts' },
    })
    const result = await project.generate(domain(PostWithExample, Post2), { now: tick(1) })
    expect(result.repos[0]?.migration?.up).toEqual(['ALTER TABLE `posts` ADD `example` text;'])
    expect(result.repos[0]?.warnings).toEqual([])
    await expectLastMigrationRoundTrips(project, domain(PostWithExample, Post2), {
      seed: ["INSERT INTO posts (id, title) VALUES ('p1', 'kept')"],
      afterUp: async (db) => {
        // Post2 can insert rows without the column Post requires.
        await db.client.execute("INSERT INTO posts (id) VALUES ('p2')")
        expect(await db.rows('SELECT id, example FROM posts ORDER BY id')).toEqual([
          { id: 'p1', example: null },
          { id: 'p2', example: null },
        ])
        await db.client.execute("DELETE FROM posts WHERE id = 'p2'")
      },
    })
  })
})

describe('identity index names', () => {
  test('changing identityIndexNames renames the unique index (drop and create: SQLite has no ALTER INDEX)', async () => {
    const make = (identityIndexNames?: Record<string, string>) =>
      defineResource({
        name: 'Post',
        attributes: { id: attr.uuidPrimaryKey(), title: attr.string() },
        identities: { title: ['title'] },
        sqlite: { repo: main, table: 'posts', ...(identityIndexNames ? { identityIndexNames } : {}) },
      })
    await project.generate(domain(make()), { now: tick(0) })
    const renamed = make({ title: 'titles_r_unique_dawg' })
    const result = await project.generate(domain(renamed), { now: tick(1) })
    expect(result.repos[0]?.migration?.up).toEqual([
      'DROP INDEX IF EXISTS `posts_title_index`;',
      'CREATE UNIQUE INDEX `titles_r_unique_dawg` ON `posts` (`title`);',
    ])
    expect(result.repos[0]?.migration?.down).toEqual([
      'DROP INDEX IF EXISTS `titles_r_unique_dawg`;',
      'CREATE UNIQUE INDEX `posts_title_index` ON `posts` (`title`);',
    ])
    await expectLastMigrationRoundTrips(project, domain(renamed), {
      seed: ["INSERT INTO posts (id, title) VALUES ('p1', 'same')"],
      afterUp: async (db) => {
        await expect(db.client.execute("INSERT INTO posts (id, title) VALUES ('p2', 'same')")).rejects.toThrow(
          /UNIQUE constraint failed: posts.title/,
        )
      },
    })
  })
})

describe('changing a reference', () => {
  const User = defineResource({
    name: 'User',
    attributes: { id: attr.uuidPrimaryKey(), name: attr.string() },
    sqlite: { repo: main, table: 'users' },
  })
  const postOf = (references: { author?: { onDelete?: 'delete'; onUpdate?: 'update'; name?: string } }) =>
    defineResource({
      name: 'Post',
      attributes: { id: attr.integerPrimaryKey(), title: attr.string() },
      relationships: { author: belongsTo(() => User) },
      sqlite: { repo: main, table: 'posts', references },
    })
  const commentOf = (post: AnyResource) =>
    defineResource({
      name: 'Comment',
      attributes: { id: attr.integerPrimaryKey(), body: attr.string() },
      relationships: { post: belongsTo(() => post, { attributeType: 'integer' }) },
      sqlite: { repo: main, table: 'comments', references: { post: { onDelete: 'delete' } } },
    })

  test('a new onDelete/onUpdate and name rebuild the table, keep every row (even the cascading children) and take effect', async () => {
    const before = postOf({})
    await project.generate(domain(User, before, commentOf(before)), { now: tick(0) })
    const after = postOf({ author: { onDelete: 'delete', onUpdate: 'update', name: 'special_post_fkey' } })
    const current = domain(User, after, commentOf(after))
    const result = await project.generate(current, { now: tick(1) })
    expect(result.repos[0]?.changedTables).toEqual(['posts'])
    expect(result.repos[0]?.migration?.up).toEqual(
      rebuild(
        'posts',
        'CREATE TABLE `__new_posts` (\n' +
          '\t`id` integer PRIMARY KEY AUTOINCREMENT,\n' +
          '\t`title` text,\n' +
          '\t`author_id` text,\n' +
          '\tCONSTRAINT `special_post_fkey` FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE CASCADE ON DELETE CASCADE\n' +
          ');\n',
        '`id`, `title`, `author_id`',
      ),
    )
    expect(result.repos[0]?.migration?.down).toEqual(
      rebuild(
        'posts',
        'CREATE TABLE `__new_posts` (\n' +
          '\t`id` integer PRIMARY KEY AUTOINCREMENT,\n' +
          '\t`title` text,\n' +
          '\t`author_id` text,\n' +
          '\tCONSTRAINT `fk_posts_author_id_users_id_fk` FOREIGN KEY (`author_id`) REFERENCES `users`(`id`)\n' +
          ');\n',
        '`id`, `title`, `author_id`',
      ),
    )
    const everyRow = {
      users: [{ id: 'u1' }, { id: 'u2' }],
      posts: [
        { id: 1, author_id: 'u1' },
        { id: 2, author_id: 'u2' },
      ],
      comments: [
        { id: 1, post_id: 1 },
        { id: 2, post_id: 2 },
      ],
    }
    const rowsOf = async (db: { rows(sql: string): Promise<Record<string, unknown>[]> }) => ({
      users: await db.rows('SELECT id FROM users ORDER BY id'),
      posts: await db.rows('SELECT id, author_id FROM posts ORDER BY id'),
      comments: await db.rows('SELECT id, post_id FROM comments ORDER BY id'),
    })
    await expectLastMigrationRoundTrips(project, current, {
      seed: [
        "INSERT INTO users (id) VALUES ('u1'), ('u2')",
        "INSERT INTO posts (id, author_id) VALUES (1, 'u1'), (2, 'u2')",
        'INSERT INTO comments (id, post_id) VALUES (1, 1), (2, 2)',
      ],
      afterUp: async (db) => {
        // Dropping the old posts table with foreign keys on would have cascaded into comments.
        expect(await rowsOf(db)).toEqual(everyRow)
        await db.client.execute('PRAGMA foreign_keys=ON')
        await db.client.execute("DELETE FROM users WHERE id = 'u1'")
        await db.client.execute("UPDATE users SET id = 'u3' WHERE id = 'u2'")
        // ON DELETE CASCADE removed u1's post and, through comments' own cascade, its comment;
        // ON UPDATE CASCADE followed u2's new key.
        expect(await rowsOf(db)).toEqual({
          users: [{ id: 'u3' }],
          posts: [{ id: 2, author_id: 'u3' }],
          comments: [{ id: 2, post_id: 2 }],
        })
      },
      afterDown: async (db) => {
        expect((await rowsOf(db)).posts).toEqual([{ id: 2, author_id: 'u3' }])
        await db.client.execute('PRAGMA foreign_keys=ON')
        // Back to NO ACTION: the parent of a post cannot go.
        await expect(db.client.execute("DELETE FROM users WHERE id = 'u3'")).rejects.toThrow(
          /FOREIGN KEY constraint failed/,
        )
      },
    })
  })
})

describe('changing the primary key', () => {
  test('moving the key to a new column rebuilds the table; the old key keeps its rows and its foreign keys', async () => {
    const Post = defineResource({
      name: 'Post',
      attributes: { id: attr.uuidPrimaryKey(), title: attr.string() },
      sqlite: { repo: main, table: 'posts' },
    })
    const commentOf = (post: AnyResource) =>
      defineResource({
        name: 'Comment',
        attributes: { id: attr.uuidPrimaryKey() },
        relationships: { post: belongsTo(() => post, { destinationAttribute: 'id', attributeType: 'uuid' }) },
        sqlite: { repo: main, table: 'comments' },
      })
    await project.generate(domain(Post, commentOf(Post)), { now: tick(0) })
    const Rekeyed = defineResource({
      name: 'Post',
      attributes: {
        id: attr.uuid({ allowNull: false }),
        guid: attr.uuidPrimaryKey(),
        title: attr.string(),
      },
      // The old key stays unique, as a foreign key target must be.
      identities: { uniqueId: ['id'] },
      // Existing rows get a key of their own while the table is copied.
      sqlite: { repo: main, table: 'posts', migrationDefaults: { guid: '(lower(hex(randomblob(16))))' } },
    })
    const current = domain(Rekeyed, commentOf(Rekeyed))
    const result = await project.generate(current, { now: tick(1) })
    expect(result.repos[0]?.changedTables).toEqual(['posts'])
    // No ALTER TABLE ADD `guid` before the rebuild: SQLite refuses that default on a table with rows.
    expect(result.repos[0]?.migration?.up).toEqual([
      ...rebuild(
        'posts',
        'CREATE TABLE `__new_posts` (\n' +
          '\t`id` text NOT NULL,\n' +
          '\t`guid` text PRIMARY KEY DEFAULT (lower(hex(randomblob(16)))) NOT NULL,\n' +
          '\t`title` text\n' +
          ');\n',
        '`id`, `title`',
      ),
      'CREATE UNIQUE INDEX `posts_unique_id_index` ON `posts` (`id`);',
    ])
    expect(result.repos[0]?.migration?.down).toEqual([
      ...rebuild(
        'posts',
        'CREATE TABLE `__new_posts` (\n\t`id` text PRIMARY KEY NOT NULL,\n\t`title` text\n);\n',
        '`id`, `title`',
      ),
      'DROP INDEX IF EXISTS `posts_unique_id_index`;',
    ])
    await expectLastMigrationRoundTrips(project, current, {
      seed: [
        "INSERT INTO posts (id, title) VALUES ('p1', 'one'), ('p2', 'two')",
        "INSERT INTO comments (id, post_id) VALUES ('c1', 'p1')",
      ],
      afterUp: async (db) => {
        const posts = await db.rows('SELECT id, guid, title FROM posts ORDER BY id')
        expect(posts.map(({ id, title }) => ({ id, title }))).toEqual([
          { id: 'p1', title: 'one' },
          { id: 'p2', title: 'two' },
        ])
        expect(new Set(posts.map((post) => post.guid)).size).toBe(2)
        expect(posts.every((post) => typeof post.guid === 'string' && post.guid.length === 32)).toBe(true)
        expect(await db.rows('SELECT id, post_id FROM comments')).toEqual([{ id: 'c1', post_id: 'p1' }])
      },
      afterDown: async (db) => {
        expect(await db.rows('SELECT id, title FROM posts ORDER BY id')).toEqual([
          { id: 'p1', title: 'one' },
          { id: 'p2', title: 'two' },
        ])
      },
    })
  })
})

describe('custom statements', () => {
  const postWith = (customStatements: { name: string; up: string; down: string }[]) =>
    defineResource({
      name: 'Post',
      attributes: { id: attr.integerPrimaryKey(), title: attr.string() },
      sqlite: { repo: main, table: 'posts', customStatements },
    })
  const upper = {
    name: 'posts_title_case',
    up: 'CREATE TRIGGER posts_title_case AFTER INSERT ON posts BEGIN UPDATE posts SET title = upper(new.title) WHERE id = new.id; END',
    down: 'DROP TRIGGER posts_title_case',
  }
  const lower = { ...upper, up: upper.up.replace('upper(', 'lower(') }
  const titleOfInserted = async (db: {
    client: { execute(sql: string): Promise<unknown> }
    rows(sql: string): Promise<Record<string, unknown>[]>
  }) => {
    await db.client.execute("INSERT INTO posts (title) VALUES ('Hello')")
    const [row] = await db.rows('SELECT title FROM posts ORDER BY id DESC LIMIT 1')
    return row?.title
  }

  test('added: its up runs after the table DDL, its down on the way back', async () => {
    await project.generate(domain(postWith([])), { now: tick(0) })
    const result = await project.generate(domain(postWith([upper])), { now: tick(1) })
    expect(result.repos[0]?.migration?.up).toEqual([upper.up])
    expect(result.repos[0]?.migration?.down).toEqual([upper.down])
    await expectLastMigrationRoundTrips(project, domain(postWith([upper])), {
      afterUp: async (db) => expect(await titleOfInserted(db)).toBe('HELLO'),
      afterDown: async (db) => expect(await titleOfInserted(db)).toBe('Hello'),
    })
  })

  test('changed: the old down, then the new up; the down migration the other way round', async () => {
    await project.generate(domain(postWith([upper])), { now: tick(0) })
    const result = await project.generate(domain(postWith([lower])), { now: tick(1) })
    expect(result.repos[0]?.migration?.up).toEqual([upper.down, lower.up])
    expect(result.repos[0]?.migration?.down).toEqual([lower.down, upper.up])
    await expectLastMigrationRoundTrips(project, domain(postWith([lower])), {
      afterUp: async (db) => expect(await titleOfInserted(db)).toBe('hello'),
      afterDown: async (db) => expect(await titleOfInserted(db)).toBe('HELLO'),
    })
  })

  test('removed: its down runs, and the down migration brings it back', async () => {
    await project.generate(domain(postWith([upper])), { now: tick(0) })
    const result = await project.generate(domain(postWith([])), { now: tick(1) })
    expect(result.repos[0]?.migration?.up).toEqual([upper.down])
    expect(result.repos[0]?.migration?.down).toEqual([upper.up])
    await expectLastMigrationRoundTrips(project, domain(postWith([])), {
      afterUp: async (db) => expect(await titleOfInserted(db)).toBe('Hello'),
      afterDown: async (db) => expect(await titleOfInserted(db)).toBe('HELLO'),
    })
  })

  test('a rebuild of its table drops the trigger with the table: it is created again afterwards', async () => {
    await project.generate(domain(postWith([upper])), { now: tick(0) })
    const NotNull = defineResource({
      name: 'Post',
      attributes: { id: attr.integerPrimaryKey(), title: attr.string({ allowNull: false, default: 'untitled' }) },
      sqlite: { repo: main, table: 'posts', customStatements: [upper] },
    })
    const result = await project.generate(domain(NotNull), { now: tick(1) })
    const up = result.repos[0]?.migration?.up ?? []
    expect(up[0]).toBe(upper.down)
    expect(up.at(-1)).toBe(upper.up)
    await expectLastMigrationRoundTrips(project, domain(NotNull), {
      afterUp: async (db) => expect(await titleOfInserted(db)).toBe('HELLO'),
      afterDown: async (db) => expect(await titleOfInserted(db)).toBe('HELLO'),
    })
  })
})

describe('a view over a rebuilt table', () => {
  test('a view in the same resource is dropped before the rebuild and created after it (SQLite refuses the swap otherwise)', async () => {
    const view = {
      name: 'post_titles',
      up: 'CREATE VIEW post_titles AS SELECT id, title FROM posts',
      down: 'DROP VIEW post_titles',
    }
    const make = (title: ReturnType<typeof attr.string>) =>
      defineResource({
        name: 'Post',
        attributes: { id: attr.integerPrimaryKey(), title },
        sqlite: { repo: main, table: 'posts', customStatements: [view] },
      })
    await project.generate(domain(make(attr.string())), { now: tick(0) })
    const current = domain(make(attr.string({ allowNull: false, default: '' })))
    const result = await project.generate(current, { now: tick(1) })
    const up = result.repos[0]?.migration?.up ?? []
    expect([up[0], up.at(-1)]).toEqual([view.down, view.up])
    await expectLastMigrationRoundTrips(project, current, {
      seed: ["INSERT INTO posts (title) VALUES ('seen')"],
      afterUp: async (db) => expect(await db.rows('SELECT title FROM post_titles')).toEqual([{ title: 'seen' }]),
    })
  })
})

describe('NOT NULL with a default', () => {
  test('existing NULLs take the default during the rebuild; other values are kept', async () => {
    const make = (title: ReturnType<typeof attr.string>) =>
      defineResource({
        name: 'Post',
        attributes: { id: attr.integerPrimaryKey(), title },
        sqlite: { repo: main, table: 'posts' },
      })
    await project.generate(domain(make(attr.string())), { now: tick(0) })
    const strict = make(attr.string({ allowNull: false, default: 'untitled' }))
    const result = await project.generate(domain(strict), { now: tick(1) })
    expect(result.repos[0]?.migration?.up).toEqual(
      rebuild(
        'posts',
        "CREATE TABLE `__new_posts` (\n\t`id` integer PRIMARY KEY AUTOINCREMENT,\n\t`title` text DEFAULT 'untitled' NOT NULL\n);\n",
        '`id`, `title`',
        "`id`, COALESCE(`title`, 'untitled')",
      ),
    )
    expect(result.repos[0]?.warnings.map((warning) => warning.message)).toEqual([
      "column posts.title becomes NOT NULL: existing NULLs are set to its default 'untitled'",
    ])
    await expectLastMigrationRoundTrips(project, domain(strict), {
      seed: ["INSERT INTO posts (id, title) VALUES (1, NULL), (2, 'kept')"],
      afterUp: async (db) => {
        expect(await db.rows('SELECT id, title FROM posts ORDER BY id')).toEqual([
          { id: 1, title: 'untitled' },
          { id: 2, title: 'kept' },
        ])
      },
    })
  })
})

describe('dropping', () => {
  const User = defineResource({
    name: 'User',
    attributes: { id: attr.uuidPrimaryKey(), name: attr.string() },
    sqlite: { repo: main, table: 'users' },
  })
  const Post = defineResource({
    name: 'Post',
    attributes: { id: attr.integerPrimaryKey(), title: attr.string({ allowNull: false }) },
    relationships: { author: belongsTo(() => User) },
    identities: { uniqueTitle: ['title'] },
    sqlite: { repo: main, table: 'posts' },
  })

  test('a resource removed from the domain drops its table; the down migration creates it again', async () => {
    await project.generate(domain(User, Post), { now: tick(0) })
    const result = await project.generate(domain(User), { now: tick(1) })
    const repo = result.repos[0]!
    expect(repo.migration?.up).toEqual(['DROP INDEX IF EXISTS `posts_unique_title_index`;', 'DROP TABLE `posts`;'])
    expect(repo.migration?.down).toEqual([
      'CREATE TABLE `posts` (\n' +
        '\t`id` integer PRIMARY KEY AUTOINCREMENT,\n' +
        '\t`title` text NOT NULL,\n' +
        '\t`author_id` text,\n' +
        '\tCONSTRAINT `fk_posts_author_id_users_id_fk` FOREIGN KEY (`author_id`) REFERENCES `users`(`id`)\n' +
        ');\n',
      'CREATE UNIQUE INDEX `posts_unique_title_index` ON `posts` (`title`);',
    ])
    expect(repo.warnings.map((warning) => warning.message)).toEqual(['table posts is dropped with all its rows'])
    await expectLastMigrationRoundTrips(project, domain(User))
    // The table is gone from the snapshots too: the next run has nothing to do.
    expect((await project.generate(domain(User), { now: tick(2) })).changed).toBe(false)
  })

  test('dontDropColumns keeps a removed column and its data; later migrations leave it alone', async () => {
    const make = (attributes: Record<string, ReturnType<typeof attr.string>>) =>
      defineResource({
        name: 'Post',
        attributes: { id: attr.integerPrimaryKey(), ...attributes },
        sqlite: { repo: main, table: 'posts' },
      })
    await project.generate(domain(make({ title: attr.string(), legacy: attr.string() })), { now: tick(0) })
    const withoutLegacy = domain(make({ title: attr.string() }))
    const kept = await project.generate(withoutLegacy, { now: tick(1), dontDropColumns: true })
    expect(kept.repos[0]?.migration).toBeNull()
    expect(kept.repos[0]?.warnings).toEqual([])
    expect(kept.files.map((file) => file.path.slice(project.cwd.length + 1))).toEqual([
      'resource_snapshots/main/posts/20260102030406.json',
    ])
    const next = domain(make({ title: attr.string(), subtitle: attr.string() }))
    const added = await project.generate(next, { now: tick(2) })
    expect(added.repos[0]?.migration?.up).toEqual(['ALTER TABLE `posts` ADD `subtitle` text;'])
    expect(added.repos[0]?.migration?.down).toEqual(['ALTER TABLE `posts` DROP COLUMN `subtitle`;'])
    await expectLastMigrationRoundTrips(project, next, {
      expectedAfterUp: await freshSchema(
        domain(make({ title: attr.string(), legacy: attr.string(), subtitle: attr.string() })),
      ),
      seed: ["INSERT INTO posts (title, legacy) VALUES ('t', 'still here')"],
      afterUp: async (db) => {
        expect(await db.rows('SELECT title, legacy FROM posts')).toEqual([{ title: 't', legacy: 'still here' }])
      },
    })
  })
})
