/**
 * The D1 rebuild relies on an undocumented SQLite behaviour: of several triggers on one event, the newest
 * fires first, so the rebuild's temporary RAISE(IGNORE) trigger runs before (and silences) any trigger the
 * child table already has. Pinned here on the local D1, so an upgrade of workerd's SQLite that changes it
 * fails this test instead of losing rows.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import { d1Batch, d1Rows, type LocalD1, startLocalD1 } from '../test-utils/local-d1.js'

let local: LocalD1
beforeAll(async () => {
  local = await startLocalD1({ bindings: ['ORDER'] })
})
afterAll(async () => {
  await local?.dispose()
})

test('the newest trigger fires first, and its RAISE(IGNORE) skips the older ones and the row change', async () => {
  const db = await local.binding('ORDER')
  await d1Batch(db, [
    'CREATE TABLE "parent" ("id" integer PRIMARY KEY);',
    'CREATE TABLE "child" ("id" integer PRIMARY KEY, "parent_id" integer REFERENCES "parent"("id") ON DELETE CASCADE);',
    'CREATE TABLE "log" ("n" integer PRIMARY KEY AUTOINCREMENT, "message" text);',
    `CREATE TRIGGER "older" BEFORE DELETE ON "child" BEGIN INSERT INTO "log" ("message") VALUES ('older'); END;`,
    `CREATE TRIGGER "newer" BEFORE DELETE ON "child" BEGIN INSERT INTO "log" ("message") VALUES ('newer'); END;`,
    'INSERT INTO "parent" VALUES (1), (2);',
    'INSERT INTO "child" VALUES (10, 1), (20, 2);',
  ])
  await d1Batch(db, ['DELETE FROM "child" WHERE "id" = 10;'])
  expect(await d1Rows(db, 'SELECT message FROM log ORDER BY n')).toEqual([{ message: 'newer' }, { message: 'older' }])

  // The rebuild's situation: a cascade from the parent, with a RAISE(IGNORE) trigger created last.
  await d1Batch(db, [
    'PRAGMA defer_foreign_keys = ON;',
    'DELETE FROM "log";',
    'CREATE TRIGGER "keep" BEFORE DELETE ON "child" BEGIN SELECT RAISE(IGNORE); END;',
    'DELETE FROM "parent" WHERE "id" = 2;',
    'DROP TRIGGER "keep";',
    'INSERT INTO "parent" VALUES (2);',
  ])
  expect(await d1Rows(db, 'SELECT id, parent_id FROM child')).toEqual([{ id: 20, parent_id: 2 }])
  expect(await d1Rows(db, 'SELECT message FROM log')).toEqual([])
})
