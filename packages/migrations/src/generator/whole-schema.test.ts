/**
 * Regression tests of DESIGN.md section 11 (issue 10): the generator sees the whole schema. Every case runs the
 * generated folders on real SQLite files with rows in parents and children, the way the migrator runs them,
 * and compares every sqlite_master object and every row after up and after down.
 */
import {
  type AnyResource,
  attr,
  belongsTo,
  type Domain,
  defineDomain,
  defineRepo,
  defineResource,
} from '@ash-sqlite/resource'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { AshSqliteError } from '../errors.js'
import { type DatabaseDump, dumpDatabase } from './__fixtures__/database-dump.js'
import { migrationBetween } from './__fixtures__/migrations.js'
import {
  createScenarioProject,
  openScenarioDatabase,
  type ScenarioDatabase,
  type ScenarioProject,
  tick,
} from './__fixtures__/scenario-project.js'
import { openTestDatabase } from './__fixtures__/sqlite.js'
import { column, integerKey, reference, table, withColumn, withoutColumn } from './__fixtures__/states.js'
import { classifyStatements } from './classify-statements.js'
import { rowCountCheck } from './rebuild-renderers.js'
import { splitSqlStatements } from './sql-tokens.js'

const main = defineRepo({ name: 'main', url: 'file:unused.db' })
let project: ScenarioProject

beforeEach(async () => {
  project = await createScenarioProject()
})
afterEach(async () => {
  await project.remove()
})

const domain = (...resources: AnyResource[]): Domain => defineDomain({ name: 'app', resources })

const User = defineResource({
  name: 'User',
  attributes: { id: attr.integerPrimaryKey(), name: attr.string({ allowNull: false }) },
  sqlite: { repo: main, table: 'users' },
})

/** Posts; `body` decides whether the next migration rebuilds the table (a nullability change does). */
const makePost = (bodyNotNull: boolean) =>
  defineResource({
    name: 'Post',
    attributes: {
      id: attr.integerPrimaryKey(),
      title: attr.string({ allowNull: false }),
      body: bodyNotNull ? attr.string({ allowNull: false, default: 'empty' }) : attr.string(),
    },
    relationships: { author: belongsTo(() => User, { allowNull: false }) },
    sqlite: { repo: main, table: 'posts', references: { author: { onDelete: 'delete' } } },
  })

/**
 * Another resource's custom statements over posts: a view reading posts and users, a trigger ON posts writing
 * audits, and (on its own table) a trigger writing posts. Two statements in one custom statement, too.
 */
const Audit = defineResource({
  name: 'Audit',
  attributes: { id: attr.integerPrimaryKey(), note: attr.string({ allowNull: false }) },
  sqlite: {
    repo: main,
    table: 'audits',
    customStatements: [
      {
        name: 'post_titles',
        up: 'CREATE VIEW post_titles AS SELECT p.id, p.title, u.name AS author FROM posts p JOIN users u ON u.id = p.author_id',
        down: 'DROP VIEW post_titles',
      },
      {
        name: 'posts_audit',
        up: `CREATE TRIGGER posts_audit AFTER INSERT ON posts BEGIN
  INSERT INTO audits (note) VALUES ('post ' || NEW.id || '; done');
END`,
        down: 'DROP TRIGGER posts_audit',
      },
      {
        name: 'audit_touches_posts',
        up: `CREATE TRIGGER audit_touches_posts AFTER DELETE ON audits BEGIN
  UPDATE posts SET title = title WHERE id = OLD.id;
END;
CREATE VIEW audit_count AS SELECT count(*) AS n FROM audits; -- two statements`,
        down: 'DROP VIEW audit_count; DROP TRIGGER audit_touches_posts;',
      },
    ],
  },
})

const seed = [
  "INSERT INTO users (id, name) VALUES (1, 'ann'), (2, 'bob')",
  "INSERT INTO posts (id, title, body, author_id) VALUES (1, 'one', NULL, 1), (2, 'two', 'b', 2), (3, 'three', 'c', 1)",
  // The high-water mark stays at 3: a rebuild must not let the next post reuse id 3.
  'DELETE FROM posts WHERE id = 3',
]

interface Migrated {
  db: ScenarioDatabase
  last: string
  before: DatabaseDump
}

/** Generates `first` then `second`, migrates the first, seeds, and returns the database before the second. */
async function migrateBetween(first: Domain, second: Domain, seedStatements = seed): Promise<Migrated> {
  await project.generate(first, { now: tick(0) })
  const result = await project.generate(second, { now: tick(1) })
  expect(result.repos[0]?.migration).not.toBeNull()
  const folders = await project.folders()
  const db = await openScenarioDatabase(project)
  for (const folder of folders.slice(0, -1)) await db.run(folder, 'up')
  for (const statement of seedStatements) await db.client.execute(statement)
  return { db, last: folders.at(-1)!, before: await dumpDatabase(db.client) }
}

describe('a rebuild keeps the views and triggers of every resource that mention the table', () => {
  test('views and triggers declared on another resource survive up and down, rows and sequence included', async () => {
    const { db, last, before } = await migrateBetween(
      domain(User, makePost(false), Audit),
      domain(User, makePost(true), Audit),
    )
    try {
      const up = await project.statements(last, 'up')
      expect(up).toContain('DROP VIEW post_titles')
      expect(up).toContain('DROP TRIGGER posts_audit')
      await db.run(last, 'up')
      const afterUp = await dumpDatabase(db.client)
      expect(afterUp.objects.filter((object) => !object.startsWith('table posts'))).toEqual(
        before.objects.filter((object) => !object.startsWith('table posts')),
      )
      expect(afterUp.rows.posts).toEqual([
        [1, 'one', 'empty', 1],
        [2, 'two', 'b', 2],
      ])
      expect(afterUp.sequences.posts).toBe(3)
      expect(await db.rows('SELECT * FROM post_titles ORDER BY id')).toEqual([
        { id: 1, title: 'one', author: 'ann' },
        { id: 2, title: 'two', author: 'bob' },
      ])

      await db.run(last, 'down')
      // Everything as before, except the NULL body that took the default on the way up.
      const backfilled = before.rows.posts!.map((row) => (row[0] === 1 ? [1, 'one', 'empty', 1] : row))
      expect(await dumpDatabase(db.client)).toEqual({ ...before, rows: { ...before.rows, posts: backfilled } })
      await db.run(last, 'up')
      // The trigger on posts works after the rebuild, and the next id is past the old high-water mark.
      await db.client.execute("INSERT INTO posts (title, author_id) VALUES ('four', 2)")
      expect(await db.rows('SELECT id FROM posts ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }, { id: 4 }])
      expect(await db.rows('SELECT note FROM audits ORDER BY id DESC LIMIT 1')).toEqual([{ note: 'post 4; done' }])
    } finally {
      await db.close()
    }
    const check = await project.generate(domain(User, makePost(true), Audit), { check: true, now: tick(2) })
    expect(check.changed).toBe(false)
  })

  test('a view or trigger no resource declares makes the migration fail naming it, and nothing changes', async () => {
    for (const handMade of [
      'CREATE TRIGGER hand_made_trigger AFTER DELETE ON posts BEGIN SELECT 1; END',
      'CREATE VIEW hand_made_view AS SELECT title FROM "posts"',
    ]) {
      const { db, last } = await migrateBetween(domain(User, makePost(false)), domain(User, makePost(true)))
      try {
        await db.client.execute(handMade)
        const before = await dumpDatabase(db.client)
        const name = /hand_made_\w+/.exec(handMade)![0]
        await expect(db.run(last, 'up')).rejects.toThrow(
          new RegExp(`rebuilding table posts would drop or break .*${name}`),
        )
        expect(await dumpDatabase(db.client)).toEqual(before)
      } finally {
        await db.close()
      }
      await project.remove()
      project = await createScenarioProject()
    }
  })

  test('a hand-made view on an unrelated table does not stop the rebuild', async () => {
    const { db, last } = await migrateBetween(domain(User, makePost(false)), domain(User, makePost(true)))
    try {
      await db.client.execute('CREATE VIEW user_names AS SELECT name FROM users')
      await db.run(last, 'up')
      await db.run(last, 'down')
      expect(await db.rows('SELECT name FROM user_names ORDER BY name')).toEqual([{ name: 'ann' }, { name: 'bob' }])
    } finally {
      await db.close()
    }
  })
})

describe('generated <-> plain columns keep their values', () => {
  const makePerson = (fullName: 'generated' | 'plain' | 'nullable-plain' | 'nullable-generated') =>
    defineResource({
      name: 'Person',
      attributes: {
        id: attr.integerPrimaryKey(),
        first: attr.string({ allowNull: false }),
        last: attr.string({ allowNull: false }),
        fullName:
          fullName === 'generated'
            ? attr.string({ allowNull: false, generated: { as: "first || ' ' || last" } })
            : fullName === 'nullable-generated'
              ? attr.string({ generated: { as: "first || ' ' || last", mode: 'stored' } })
              : fullName === 'plain'
                ? attr.string({ allowNull: false })
                : attr.string(),
      },
      sqlite: { repo: main, table: 'people' },
    })
  /** A child with ON DELETE CASCADE: a rebuild of people must not take its rows. */
  const withPet = (person: AnyResource) =>
    domain(
      person,
      defineResource({
        name: 'Pet',
        attributes: { id: attr.integerPrimaryKey(), name: attr.string() },
        relationships: { owner: belongsTo(() => person, { allowNull: false }) },
        sqlite: { repo: main, table: 'pets', references: { owner: { onDelete: 'delete' } } },
      }),
    )
  const rows = [
    "INSERT INTO people (id, first, last) VALUES (1, 'ada', 'lovelace'), (2, 'alan', 'turing')",
    "INSERT INTO pets (id, name, owner_id) VALUES (1, 'rex', 1), (2, 'tom', 2)",
  ]

  for (const [from, to] of [
    ['generated', 'plain'],
    ['nullable-generated', 'nullable-plain'],
  ] as const) {
    test(`${from} -> ${to}: the up copies the computed values, the down computes them again`, async () => {
      const { db, last, before } = await migrateBetween(withPet(makePerson(from)), withPet(makePerson(to)), rows)
      try {
        const up = await project.statements(last, 'up')
        expect(up.some((statement) => statement.includes('DROP COLUMN'))).toBe(false)
        await db.run(last, 'up')
        expect(await db.rows('SELECT id, full_name FROM people ORDER BY id')).toEqual([
          { id: 1, full_name: 'ada lovelace' },
          { id: 2, full_name: 'alan turing' },
        ])
        expect((await dumpDatabase(db.client)).rows.pets).toEqual(before.rows.pets)
        await db.run(last, 'down')
        expect(await dumpDatabase(db.client)).toEqual(before)
      } finally {
        await db.close()
      }
    })
  }

  test('plain -> generated: rebuilt (a NOT NULL column cannot be dropped and added on rows), with a warning', async () => {
    await project.generate(withPet(makePerson('plain')), { now: tick(0) })
    const result = await project.generate(withPet(makePerson('generated')), { now: tick(1) })
    expect(result.repos[0]?.warnings).toContainEqual(
      expect.objectContaining({ kind: 'becomes_generated', table: 'people', column: 'full_name' }),
    )
    const folders = await project.folders()
    const db = await openScenarioDatabase(project)
    try {
      await db.run(folders[0]!, 'up')
      await db.client.execute(
        "INSERT INTO people (id, first, last, full_name) VALUES (1, 'ada', 'lovelace', 'Countess'), (2, 'alan', 'turing', 'alan turing')",
      )
      await db.client.execute(rows[1]!)
      const before = await dumpDatabase(db.client)
      await db.run(folders[1]!, 'up')
      expect(await db.rows('SELECT id, full_name FROM people ORDER BY id')).toEqual([
        { id: 1, full_name: 'ada lovelace' },
        { id: 2, full_name: 'alan turing' },
      ])
      expect((await dumpDatabase(db.client)).rows.pets).toEqual(before.rows.pets)
      await db.run(folders[1]!, 'down')
      // The down keeps the computed values (the stored 'Countess' was lost, as the warning said).
      expect(await db.rows('SELECT id, full_name FROM people ORDER BY id')).toEqual([
        { id: 1, full_name: 'ada lovelace' },
        { id: 2, full_name: 'alan turing' },
      ])
    } finally {
      await db.close()
    }
  })
})

describe('warnings for changes that lose values', () => {
  test('a dropped NOT NULL column without a default: the down cannot restore it on rows', async () => {
    const make = (withCode: boolean) =>
      defineResource({
        name: 'Item',
        attributes: {
          id: attr.integerPrimaryKey(),
          ...(withCode ? { code: attr.string({ allowNull: false }) } : {}),
        },
        sqlite: { repo: main, table: 'items' },
      })
    await project.generate(domain(make(true)), { now: tick(0) })
    const result = await project.generate(domain(make(false)), { now: tick(1) })
    expect(result.repos[0]?.warnings.map((warning) => `${warning.kind} ${warning.table}.${warning.column}`)).toEqual([
      'drop_column items.code',
      'irreversible_drop items.code',
    ])
  })
})

describe('statement splitting cannot be fooled', () => {
  test('a default holding the breakpoint marker is refused at generate time, naming it; nothing is written', async () => {
    const Note = defineResource({
      name: 'Note',
      attributes: { id: attr.integerPrimaryKey(), text: attr.string({ default: 'a --> statement-breakpoint b' }) },
      sqlite: { repo: main, table: 'notes' },
    })
    const error = await project.generate(domain(Note), { now: tick(0) }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(AshSqliteError)
    expect((error as AshSqliteError).code).toBe('statement_breakpoint_in_sql')
    expect((error as AshSqliteError).message).toContain('statement-breakpoint')
    expect(await project.folders()).toEqual([])
  })

  test('a custom statement with the marker in a comment is refused, naming the statement', async () => {
    const Note = defineResource({
      name: 'Note',
      attributes: { id: attr.integerPrimaryKey(), text: attr.string() },
      sqlite: {
        repo: main,
        table: 'notes',
        customStatements: [
          {
            name: 'sneaky',
            up: 'CREATE INDEX notes_text ON notes (text) -- --> statement-breakpoint',
            down: 'DROP INDEX notes_text',
          },
        ],
      },
    })
    const error = await project.generate(domain(Note), { now: tick(0) }).catch((caught: unknown) => caught)
    expect((error as AshSqliteError).code).toBe('statement_breakpoint_in_sql')
    expect((error as AshSqliteError).message).toContain('custom statement sneaky of table notes')
  })

  test('an unterminated string in a custom statement is refused', async () => {
    const Note = defineResource({
      name: 'Note',
      attributes: { id: attr.integerPrimaryKey(), text: attr.string() },
      sqlite: {
        repo: main,
        table: 'notes',
        customStatements: [{ name: 'broken', up: "CREATE VIEW v AS SELECT 'oops FROM notes", down: 'DROP VIEW v' }],
      },
    })
    const error = await project.generate(domain(Note), { now: tick(0) }).catch((caught: unknown) => caught)
    expect((error as AshSqliteError).code).toBe('unsplittable_custom_statement')
    expect((error as AshSqliteError).message).toContain('custom statement broken of table notes')
  })

  test('a custom statement with several statements runs all of them, up and down', async () => {
    const make = (withStatement: boolean) =>
      defineResource({
        name: 'Note',
        attributes: { id: attr.integerPrimaryKey(), text: attr.string() },
        sqlite: {
          repo: main,
          table: 'notes',
          customStatements: withStatement
            ? [
                {
                  name: 'history',
                  up: `CREATE TABLE note_history (note_id integer, text text); -- ; in a comment
CREATE TRIGGER note_history_insert AFTER INSERT ON notes BEGIN
  INSERT INTO note_history VALUES (NEW.id, 'created; ' || NEW.text);
  INSERT INTO note_history VALUES (NEW.id, CASE WHEN NEW.text IS NULL THEN 'empty' ELSE 'full' END);
END;
INSERT INTO note_history VALUES (0, 'installed --> not a breakpoint; really')`,
                  down: 'DROP TRIGGER note_history_insert;\nDROP TABLE note_history;',
                },
              ]
            : [],
        },
      })
    await project.generate(domain(make(false)), { now: tick(0) })
    await project.generate(domain(make(true)), { now: tick(1) })
    const [first, second] = await project.folders()
    expect(await project.statements(second!, 'up')).toHaveLength(3)
    expect(await project.statements(second!, 'down')).toHaveLength(2)
    const db = await openScenarioDatabase(project)
    try {
      await db.run(first!, 'up')
      const before = await dumpDatabase(db.client)
      await db.run(second!, 'up')
      await db.client.execute("INSERT INTO notes (text) VALUES ('hi')")
      expect(await db.rows('SELECT * FROM note_history ORDER BY rowid')).toEqual([
        { note_id: 0, text: 'installed --> not a breakpoint; really' },
        { note_id: 1, text: 'created; hi' },
        { note_id: 1, text: 'full' },
      ])
      await db.client.execute('DELETE FROM notes')
      await db.run(second!, 'down')
      const after = await dumpDatabase(db.client)
      expect(after.objects).toEqual(before.objects)
    } finally {
      await db.close()
    }
  })

  test('the tokenizer splits on ; outside strings, quoted names, comments and trigger bodies only', () => {
    expect(
      splitSqlStatements(`SELECT 'a;b' AS "x;y", [c;d] FROM t; /* ; */ -- ;
CREATE TEMP TRIGGER IF NOT EXISTS tr BEFORE UPDATE ON t BEGIN SELECT CASE WHEN 1 THEN 2 END; UPDATE t SET a = 1; END;
-- only a comment`),
    ).toEqual([
      `SELECT 'a;b' AS "x;y", [c;d] FROM t`,
      'CREATE TEMP TRIGGER IF NOT EXISTS tr BEFORE UPDATE ON t BEGIN SELECT CASE WHEN 1 THEN 2 END; UPDATE t SET a = 1; END',
    ])
  })
})

describe('every rebuild proves it kept the rows', () => {
  test('the row-count check fails when the new table has fewer rows, naming the table', async () => {
    const db = await openTestDatabase()
    try {
      await db.apply([
        'CREATE TABLE posts (id integer)',
        'CREATE TABLE __new_posts (id integer)',
        'INSERT INTO posts VALUES (1), (2)',
        'INSERT INTO __new_posts VALUES (1)',
      ])
      await expect(db.client.execute(rowCountCheck('posts', '__new_posts'))).rejects.toThrow(
        /the rebuild of table posts copied 1 of 2 rows/,
      )
      await db.client.execute('INSERT INTO __new_posts VALUES (2)')
      await db.client.execute(rowCountCheck('posts', '__new_posts'))
    } finally {
      await db.close()
    }
  })
})

describe('the plan is data', () => {
  test('each table of a direction has its fate, and each rebuild its reasons, column fates and referencing keys', async () => {
    const users = table('users', [integerKey(), column('name'), column('nick')])
    const posts = table('posts', [
      integerKey(),
      column('author_id', 'integer', { references: reference('users', 'id', { onDelete: 'CASCADE' }) }),
    ])
    const next = withoutColumn(
      withColumn({ ...users, strict: true }, column('name', 'text', { allowNull: false, default: "'?'" })),
      'nick',
    )
    const migration = await migrationBetween(
      [users, posts],
      [withColumn(next, column('shout', 'text', { generated: { as: 'upper(name)', mode: 'virtual' } })), posts],
      { noRenames: true },
    )
    const up = migration.plans!.up
    expect(up.tables.map((plan) => `${plan.kind} ${plan.table}`)).toEqual(['rebuilt users'])
    const rebuilt = up.tables[0]
    if (rebuilt?.kind !== 'rebuilt') throw new Error('users is not rebuilt')
    expect(rebuilt.rebuild.reasons).toEqual(['drizzle_kit', 'strict_toggle'])
    expect(rebuilt.rebuild.columns).toEqual([
      { kind: 'copied', column: 'id', from: 'id' },
      { kind: 'backfilled', column: 'name', from: 'name', fallback: "'?'" },
      { kind: 'computed', column: 'shout', wasPlain: false },
      { kind: 'dropped', from: 'nick' },
    ])
    expect(rebuilt.rebuild.referencedBy).toEqual([
      { table: 'posts', column: 'author_id', onDelete: 'CASCADE', onUpdate: 'NO ACTION' },
    ])
    expect(rebuilt.rebuild.autoincrement).toBe(true)
    expect(up.steps.filter((step) => step.kind === 'rebuild')).toHaveLength(1)
  })
})

describe('drizzle-kit statements are classified once, loudly', () => {
  test('a statement of no known shape fails generate with a coded error', () => {
    expect(() => classifyStatements(['VACUUM;'])).toThrow(
      expect.objectContaining({ code: 'unrecognised_drizzle_statement' }),
    )
  })

  test('something that starts like a rebuild but is not one fails too', () => {
    expect(() =>
      classifyStatements([
        'PRAGMA foreign_keys=OFF;',
        'CREATE TABLE `__new_t` (\n\t`id` integer\n);\n',
        'DROP TABLE `t`;',
      ]),
    ).toThrow(expect.objectContaining({ code: 'unrecognised_drizzle_statement' }))
  })
})
