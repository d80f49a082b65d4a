/**
 * The D1 rebuild on a real local D1 (Miniflare + workerd): first the control that proves the trap is real
 * (drizzle-kit's rebuild, run the way wrangler runs it, wipes CASCADE children and nulls SET NULL ones), then
 * ash-sqlite's rebuild of the same parent, up and down, with every row and object compared.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { d1Batch, d1Dump, d1Rows, type LocalD1, startLocalD1 } from '../test-utils/local-d1.js'
import { familyRows, familySchema, usersDown, usersUp } from './__fixtures__/family.js'
import { failedRebuildAssertion, renderD1Rebuild, renderForeignKeyAssertion } from './rebuild.js'

const bindings = ['CONTROL', 'UP_DOWN', 'ORPHANS', 'EMPTY', 'ROWID'] as const
let local: LocalD1

beforeAll(async () => {
  local = await startLocalD1({ bindings })
})
afterAll(async () => {
  await local?.dispose()
})

/** A whole migration of one rebuild, as the generator writes it: the rebuild, then the FK assertion. */
function migration(rebuild: typeof usersUp): string[] {
  return [...renderD1Rebuild(rebuild), ...renderForeignKeyAssertion(rebuild.table)]
}

async function family(name: (typeof bindings)[number]) {
  const db = await local.binding(name)
  await d1Batch(db, [...familySchema, ...familyRows])
  return db
}

describe('drizzle-kit rebuild on D1 (control: the fixture shows the data loss is real)', () => {
  test('run as one batch, as wrangler runs a migration file, it deletes CASCADE children and nulls SET NULL ones', async () => {
    const db = await local.binding('CONTROL')
    await d1Batch(db, [
      'CREATE TABLE `users` (`id` integer PRIMARY KEY AUTOINCREMENT, `name` text);',
      'CREATE TABLE `posts` (`id` integer PRIMARY KEY, `user_id` integer REFERENCES `users`(`id`) ON DELETE CASCADE);',
      'CREATE TABLE `profiles` (`id` integer PRIMARY KEY, `user_id` integer REFERENCES `users`(`id`) ON DELETE SET NULL);',
      "INSERT INTO `users` (`name`) VALUES ('ada'), ('bob');",
      'INSERT INTO `posts` (`user_id`) VALUES (1), (1), (2);',
      'INSERT INTO `profiles` (`user_id`) VALUES (1), (2);',
    ])
    // drizzle-kit 1.0.0-rc.5's rebuild for "name becomes NOT NULL", verbatim.
    await d1Batch(db, [
      'PRAGMA foreign_keys=OFF;',
      'CREATE TABLE `__new_users` (\n\t`id` integer PRIMARY KEY AUTOINCREMENT,\n\t`name` text NOT NULL\n);\n',
      'INSERT INTO `__new_users`(`id`, `name`) SELECT `id`, `name` FROM `users`;',
      'DROP TABLE `users`;',
      'ALTER TABLE `__new_users` RENAME TO `users`;',
      'PRAGMA foreign_keys=ON;',
    ])
    expect(await d1Rows(db, 'SELECT count(*) AS n FROM users')).toEqual([{ n: 2 }])
    expect(await d1Rows(db, 'SELECT count(*) AS n FROM posts')).toEqual([{ n: 0 }])
    expect(await d1Rows(db, 'SELECT user_id FROM profiles')).toEqual([{ user_id: null }, { user_id: null }])
  })
})

describe('renderD1Rebuild on D1', () => {
  test('keeps every row, index, trigger and view, up and down; no trigger fires; the sequence survives', async () => {
    const db = await family('UP_DOWN')
    const before = await d1Dump(db)
    const sequenceBefore = await d1Rows(db, `SELECT name, seq FROM sqlite_sequence ORDER BY name`)
    expect(sequenceBefore).toContainEqual({ name: 'users', seq: 6 })

    await d1Batch(db, migration(usersUp))
    const up = await d1Dump(db)
    for (const child of ['posts', 'comments', 'profiles', 'invoices', 'badges']) {
      expect(up.rows[child], child).toEqual(before.rows[child])
    }
    expect(up.rows.audit).toEqual([])
    expect(await d1Rows(db, 'SELECT id, name, email, manager_id, age, shout FROM users ORDER BY id')).toEqual(
      (before.rows.users as Record<string, unknown>[]).map(({ id, name, email, manager_id }) => ({
        id,
        name,
        email,
        manager_id,
        age: 0,
        shout: String(name).toUpperCase(),
      })),
    )
    const objectNames = (dump: typeof up) => dump.objects.map((object) => `${object.type} ${object.name}`)
    expect(objectNames(up)).toEqual(objectNames(before))
    expect(await d1Rows(db, 'SELECT * FROM pragma_foreign_key_check')).toEqual([])
    expect(await d1Rows(db, 'SELECT count(*) AS n FROM user_posts')).toEqual([{ n: 5 }])
    expect(await d1Rows(db, `SELECT seq FROM sqlite_sequence WHERE name = 'users'`)).toEqual([{ seq: 6 }])

    await d1Batch(db, migration(usersDown))
    expect(await d1Dump(db)).toEqual(before)
    expect(await d1Rows(db, `SELECT name, seq FROM sqlite_sequence ORDER BY name`)).toEqual(sequenceBefore)

    // The table's own trigger is back and fires again; the next id continues above the old high-water mark.
    await d1Batch(db, [`INSERT INTO users (name) VALUES ('new')`])
    expect(await d1Rows(db, 'SELECT message FROM audit')).toEqual([{ message: 'user inserted 7' }])
  })

  test('a rebuild that would orphan rows fails inside its batch, names the table, and changes nothing', async () => {
    const db = await family('ORPHANS')
    const before = await d1Dump(db)
    const shifted = {
      ...usersUp,
      copy: usersUp.copy.map((column) =>
        column.column === 'id' ? { column: 'id', expression: '"id" + 1000' } : column,
      ),
    }
    const error = await d1Batch(db, migration(shifted)).then(
      () => null,
      (caught: unknown) => caught as Error,
    )
    expect(error?.message).toMatch(/CHECK constraint failed: ash_sqlite_rebuild_orphans__users/)
    expect(failedRebuildAssertion(error?.message ?? '')).toEqual({ kind: 'orphans', table: 'users' })
    expect(await d1Dump(db)).toEqual(before)
  })

  test('an empty table, and a table without an INTEGER PRIMARY KEY keeps its rowids', async () => {
    const empty = await local.binding('EMPTY')
    await d1Batch(empty, familySchema)
    await d1Batch(empty, migration(usersUp))
    await d1Batch(empty, migration(usersDown))
    expect(await d1Rows(empty, 'SELECT count(*) AS n FROM users')).toEqual([{ n: 0 }])

    const db = await local.binding('ROWID')
    await d1Batch(db, [
      'CREATE TABLE "tags" ("code" text PRIMARY KEY NOT NULL, "label" text);',
      'CREATE TABLE "tagged" ("tag" text REFERENCES "tags"("code") ON DELETE CASCADE);',
      `INSERT INTO "tags" VALUES ('b', 'B'), ('a', 'A'), ('c', 'C');`,
      `DELETE FROM "tags" WHERE "code" = 'a';`,
      `INSERT INTO "tagged" VALUES ('b'), ('c');`,
    ])
    const rowids = await d1Rows(db, 'SELECT rowid, code FROM tags ORDER BY rowid')
    await d1Batch(db, [
      ...renderD1Rebuild({
        table: 'tags',
        createTable: 'CREATE TABLE "tags" ("code" text PRIMARY KEY NOT NULL, "label" text NOT NULL DEFAULT \'\')',
        copy: [
          { column: 'code', expression: '"code"' },
          { column: 'label', expression: `coalesce("label", '')` },
        ],
        children: [{ table: 'tagged', onDelete: 'CASCADE' }],
        indexes: [],
        triggers: [],
        autoincrement: false,
        keepRowid: true,
      }),
      ...renderForeignKeyAssertion('tags'),
    ])
    expect(await d1Rows(db, 'SELECT rowid, code FROM tags ORDER BY rowid')).toEqual(rowids)
    expect(await d1Rows(db, 'SELECT tag FROM tagged ORDER BY tag')).toEqual([{ tag: 'b' }, { tag: 'c' }])
  })
})
