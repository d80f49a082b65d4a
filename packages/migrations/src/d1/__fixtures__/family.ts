/**
 * A parent table with every kind of child D1 can hurt, and objects around it: CASCADE, SET NULL, RESTRICT
 * and self-referencing children, a grandchild, a child referencing a UNIQUE non-key column, a child trigger
 * that would log deletions, the parent's own trigger, a view, and an AUTOINCREMENT high-water mark above the
 * largest id. Plain SQL, as a migration would create it.
 */
import type { D1TableRebuild } from '../rebuild.js'

export const familySchema: string[] = [
  'CREATE TABLE "users" ("id" integer PRIMARY KEY AUTOINCREMENT, "name" text, "email" text, "manager_id" integer REFERENCES "users"("id") ON DELETE CASCADE);',
  'CREATE UNIQUE INDEX "users_email_index" ON "users" ("email");',
  'CREATE INDEX "users_name_index" ON "users" ("name");',
  'CREATE TABLE "posts" ("id" integer PRIMARY KEY AUTOINCREMENT, "user_id" integer REFERENCES "users"("id") ON DELETE CASCADE, "title" text);',
  'CREATE TABLE "comments" ("id" integer PRIMARY KEY, "post_id" integer REFERENCES "posts"("id") ON DELETE CASCADE, "body" text);',
  'CREATE TABLE "profiles" ("id" integer PRIMARY KEY, "user_id" integer REFERENCES "users"("id") ON DELETE SET NULL, "bio" text);',
  'CREATE TABLE "invoices" ("id" integer PRIMARY KEY, "user_id" integer NOT NULL REFERENCES "users"("id") ON DELETE RESTRICT, "amount" real);',
  'CREATE TABLE "badges" ("label" text, "user_email" text REFERENCES "users"("email") ON DELETE CASCADE);',
  'CREATE TABLE "audit" ("message" text);',
  `CREATE TRIGGER "posts_deleted" BEFORE DELETE ON "posts" BEGIN INSERT INTO "audit" VALUES ('post deleted ' || old."id"); END;`,
  `CREATE TRIGGER "profiles_changed" AFTER UPDATE ON "profiles" BEGIN INSERT INTO "audit" VALUES ('profile changed ' || new."id"); END;`,
  `CREATE TRIGGER "users_inserted" AFTER INSERT ON "users" BEGIN INSERT INTO "audit" VALUES ('user inserted ' || new."id"); END;`,
  'CREATE VIEW "user_posts" AS SELECT "users"."name", "posts"."title" FROM "users" JOIN "posts" ON "posts"."user_id" = "users"."id";',
]

export const familyRows: string[] = [
  `INSERT INTO "users" ("id", "name", "email", "manager_id") VALUES (1, 'ada', 'ada@x', NULL), (2, 'bob', 'bob@x', 1), (3, 'cy', 'cy@x', 2), (4, 'dee', NULL, 1), (5, 'eve', 'eve@x', 4), (6, 'gone', 'gone@x', NULL);`,
  'DELETE FROM "users" WHERE "id" = 6;',
  `INSERT INTO "posts" ("user_id", "title") VALUES (1, 'a1'), (1, 'a2'), (2, 'b1'), (3, 'c1'), (5, 'e1');`,
  `INSERT INTO "comments" ("post_id", "body") VALUES (1, 'on a1'), (3, 'on b1'), (5, 'on e1');`,
  `INSERT INTO "profiles" ("user_id", "bio") VALUES (1, 'first'), (2, 'second'), (4, 'fourth');`,
  'INSERT INTO "invoices" ("user_id", "amount") VALUES (1, 9.5), (2, 12.25);',
  `INSERT INTO "badges" ("label", "user_email") VALUES ('gold', 'ada@x'), ('silver', 'bob@x');`,
  'DELETE FROM "audit";',
]

const originalUsers =
  'CREATE TABLE "users" ("id" integer PRIMARY KEY AUTOINCREMENT, "name" text, "email" text, "manager_id" integer REFERENCES "users"("id") ON DELETE CASCADE)'

const usersTrigger = `CREATE TRIGGER "users_inserted" AFTER INSERT ON "users" BEGIN INSERT INTO "audit" VALUES ('user inserted ' || new."id"); END;`

const children: D1TableRebuild['children'] = [
  { table: 'posts', onDelete: 'CASCADE' },
  { table: 'profiles', onDelete: 'SET NULL' },
  { table: 'badges', onDelete: 'CASCADE' },
]

const indexes = [
  'CREATE UNIQUE INDEX "users_email_index" ON "users" ("email")',
  'CREATE INDEX "users_name_index" ON "users" ("name")',
]

/** users gains a NOT NULL column with a default and a generated column; name becomes NOT NULL (backfilled). */
export const usersUp: D1TableRebuild = {
  table: 'users',
  createTable:
    'CREATE TABLE "users" ("id" integer PRIMARY KEY AUTOINCREMENT, "name" text NOT NULL, "email" text, "manager_id" integer REFERENCES "users"("id") ON DELETE CASCADE, "age" integer DEFAULT 0 NOT NULL, "shout" text GENERATED ALWAYS AS (upper("name")) VIRTUAL)',
  copy: [
    { column: 'id', expression: '"id"' },
    { column: 'name', expression: `coalesce("name", '')` },
    { column: 'email', expression: '"email"' },
    { column: 'manager_id', expression: '"manager_id"' },
  ],
  children,
  indexes,
  triggers: [usersTrigger],
  autoincrement: true,
  keepRowid: false,
}

/** The way back: the original shape. */
export const usersDown: D1TableRebuild = {
  ...usersUp,
  createTable: originalUsers,
  copy: usersUp.copy.map((column) => ({ column: column.column, expression: `"${column.column}"` })),
}
