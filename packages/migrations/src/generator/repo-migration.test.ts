import type { TableState } from '@ash-sqlite/resource'
import { describe, expect, test } from 'vitest'
import {
  createStatements,
  expectedRebuild,
  expectRoundTrip,
  migrationBetween,
  schemaOf,
} from './__fixtures__/migrations.js'
import { openTestDatabase } from './__fixtures__/sqlite.js'
import {
  column,
  customIndex,
  customStatement,
  identity,
  integerKey,
  reference,
  table,
  textKey,
  withColumn,
  withoutColumn,
} from './__fixtures__/states.js'

const users = table(
  'users',
  [textKey(), column('name'), column('email', 'text COLLATE NOCASE', { allowNull: false })],
  { identities: [identity('users', 'uniqueEmail', ['email'])] },
)
const posts = table('posts', [
  integerKey(),
  column('title'),
  column('author_id', 'text', { references: reference('users', 'id', { onDelete: 'CASCADE' }) }),
])
const notes = table('notes', [integerKey(), column('a'), column('b')])

const rebuild = (name: string, createNew: string, columns: string, sources?: string) =>
  expectedRebuild(name, createNew, columns, sources)

describe('creating tables', () => {
  const everyKind = table(
    'everything',
    [
      textKey(),
      column('email', 'text COLLATE NOCASE', { allowNull: false }),
      column('age', 'integer', { default: '0' }),
      column('score', 'real'),
      column('avatar', 'blob'),
      column('balance', 'numeric'),
      column('role', 'text', { allowNull: false, default: "'member'" }),
      column('inserted_at', 'text', { allowNull: false, default: '(CURRENT_TIMESTAMP)' }),
      column('domain', 'text', { generated: { as: "substr(email, instr(email, '@') + 1)", mode: 'virtual' } }),
      column('owner_id', 'text', {
        references: reference('users', 'id', { onDelete: 'SET NULL', onUpdate: 'CASCADE' }),
      }),
      column('post_id', 'integer', {
        references: reference('posts', 'id', { name: 'everything_post_fk', onDelete: 'RESTRICT' }),
      }),
    ],
    {
      identities: [identity('everything', 'uniqueEmail', ['email'], 'age > 0')],
      customIndexes: [customIndex('everything_role_score_index', ['role', 'score'])],
    },
  )
  const tags = table(
    'tags',
    [
      column('post_id', 'integer', { allowNull: false, primaryKey: true }),
      column('tag', 'text', { allowNull: false, primaryKey: true }),
    ],
    { strict: true },
  )

  test('every column kind, constraint and index, and a STRICT table with a composite key', async () => {
    const migration = await migrationBetween([users, posts], [users, posts, everyKind, tags])
    expect(migration.up).toEqual([
      'CREATE TABLE `everything` (\n' +
        '\t`id` text PRIMARY KEY NOT NULL,\n' +
        '\t`email` text COLLATE NOCASE NOT NULL,\n' +
        '\t`age` integer DEFAULT 0,\n' +
        '\t`score` real,\n' +
        '\t`avatar` blob,\n' +
        '\t`balance` numeric,\n' +
        "\t`role` text DEFAULT 'member' NOT NULL,\n" +
        '\t`inserted_at` text DEFAULT (CURRENT_TIMESTAMP) NOT NULL,\n' +
        "\t`domain` text GENERATED ALWAYS AS (substr(email, instr(email, '@') + 1)) VIRTUAL,\n" +
        '\t`owner_id` text,\n' +
        '\t`post_id` integer,\n' +
        '\tCONSTRAINT `fk_everything_owner_id_users_id_fk` FOREIGN KEY (`owner_id`) REFERENCES `users`(`id`) ON UPDATE CASCADE ON DELETE SET NULL,\n' +
        '\tCONSTRAINT `everything_post_fk` FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON DELETE RESTRICT\n' +
        ');\n',
      'CREATE TABLE `tags` (\n' +
        '\t`post_id` integer NOT NULL,\n' +
        '\t`tag` text NOT NULL,\n' +
        '\tCONSTRAINT `tags_pk` PRIMARY KEY(`post_id`, `tag`)\n' +
        ') STRICT;\n',
      'CREATE UNIQUE INDEX `everything_unique_email_index` ON `everything` (`email`) WHERE age > 0;',
      'CREATE INDEX `everything_role_score_index` ON `everything` (`role`,`score`);',
    ])
    expect(migration.down).toEqual([
      'DROP INDEX IF EXISTS `everything_unique_email_index`;',
      'DROP INDEX IF EXISTS `everything_role_score_index`;',
      'DROP TABLE `everything`;',
      'DROP TABLE `tags`;',
    ])
    expect(migration.warnings).toEqual([])
    await expectRoundTrip([users, posts], [users, posts, everyKind, tags], migration)
  })

  test('the STRICT option reaches SQLite', async () => {
    const schema = await schemaOf([tags, notes])
    expect(schema.tables.tags?.strict).toBe(true)
    expect(schema.tables.notes?.strict).toBe(false)
  })

  test('equal states produce no statements', async () => {
    const migration = await migrationBetween([users, posts, everyKind], [users, posts, structuredClone(everyKind)])
    expect(migration).toEqual({ up: [], down: [], warnings: [] })
  })
})

describe('columns', () => {
  test('adding a column', async () => {
    const next = withColumn(users, column('nickname'))
    const migration = await migrationBetween([users], [next])
    expect(migration.up).toEqual(['ALTER TABLE `users` ADD `nickname` text;'])
    expect(migration.down).toEqual(['ALTER TABLE `users` DROP COLUMN `nickname`;'])
    await expectRoundTrip([users], [next], migration)
  })

  test('dropping a column warns, and down adds it back', async () => {
    const next = withoutColumn(users, 'name')
    const migration = await migrationBetween([users], [next])
    expect(migration.up).toEqual(['ALTER TABLE `users` DROP COLUMN `name`;'])
    expect(migration.down).toEqual(['ALTER TABLE `users` ADD `name` text;'])
    expect(migration.warnings).toEqual([
      { kind: 'drop_column', table: 'users', column: 'name', message: 'column users.name is dropped with its data' },
    ])
    await expectRoundTrip([users], [next], migration)
  })

  test('renaming a column declared with renamedFrom', async () => {
    const next = { ...users, columns: users.columns.map((c) => (c.source === 'name' ? column('full_name') : c)) }
    const migration = await migrationBetween([users], [next], { renamedColumns: { users: { full_name: 'name' } } })
    expect(migration.up).toEqual(['ALTER TABLE `users` RENAME COLUMN `name` TO `full_name`;'])
    expect(migration.down).toEqual(['ALTER TABLE `users` RENAME COLUMN `full_name` TO `name`;'])
    expect(migration.warnings).toEqual([])
    await expectRoundTrip([users], [next], migration)
  })

  test('renaming a column given by a flag, next to a new column answered as new', async () => {
    const next = withColumn(
      { ...users, columns: users.columns.map((c) => (c.source === 'name' ? column('full_name') : c)) },
      column('age', 'integer'),
    )
    const migration = await migrationBetween([users], [next], {
      flags: [{ kind: 'column', table: 'users', from: 'name', to: 'full_name' }],
    })
    expect(migration.up).toEqual([
      'ALTER TABLE `users` RENAME COLUMN `name` TO `full_name`;',
      'ALTER TABLE `users` ADD `age` integer;',
    ])
    expect(migration.down).toEqual([
      'ALTER TABLE `users` RENAME COLUMN `full_name` TO `name`;',
      'ALTER TABLE `users` DROP COLUMN `age`;',
    ])
    await expectRoundTrip([users], [next], migration)
  })

  test('two renames in one table at once give two renames and no duplicate columns', async () => {
    const next = table('notes', [integerKey(), column('c'), column('d')])
    const migration = await migrationBetween([notes], [next], {
      flags: [
        { kind: 'column', table: 'notes', from: 'a', to: 'd' },
        { kind: 'column', table: 'notes', from: 'b', to: 'c' },
      ],
    })
    expect(migration.up).toEqual([
      'ALTER TABLE `notes` RENAME COLUMN `b` TO `c`;',
      'ALTER TABLE `notes` RENAME COLUMN `a` TO `d`;',
    ])
    expect(migration.down).toEqual([
      'ALTER TABLE `notes` RENAME COLUMN `d` TO `a`;',
      'ALTER TABLE `notes` RENAME COLUMN `c` TO `b`;',
    ])
    await expectRoundTrip([notes], [next], migration)
  })

  test('a column made NOT NULL with a default takes the default where it was NULL', async () => {
    const next = withColumn(notes, column('a', 'text', { allowNull: false, default: "'none'" }))
    const migration = await migrationBetween([notes], [next])
    const createNew =
      "CREATE TABLE `__new_notes` (\n\t`id` integer PRIMARY KEY AUTOINCREMENT,\n\t`a` text DEFAULT 'none' NOT NULL,\n\t`b` text\n);\n"
    expect(migration.up).toEqual(rebuild('notes', createNew, '`id`, `a`, `b`', "`id`, COALESCE(`a`, 'none'), `b`"))
    expect(migration.down).toEqual(
      rebuild(
        'notes',
        'CREATE TABLE `__new_notes` (\n\t`id` integer PRIMARY KEY AUTOINCREMENT,\n\t`a` text,\n\t`b` text\n);\n',
        '`id`, `a`, `b`',
      ),
    )
    expect(migration.warnings).toEqual([
      {
        kind: 'not_null',
        table: 'notes',
        column: 'a',
        message: "column notes.a becomes NOT NULL: existing NULLs are set to its default 'none'",
      },
    ])
    await expectRoundTrip([notes], [next], migration, {
      seed: ["INSERT INTO notes (a, b) VALUES (NULL, 'x'), ('kept', 'y')"],
    })
  })

  test('the NOT NULL backfill lets rows with NULLs survive the rebuild', async () => {
    const next = withColumn(notes, column('a', 'text', { allowNull: false, default: "'none'" }))
    const migration = await migrationBetween([notes], [next])
    const db = await openTestDatabase()
    try {
      await db.apply(await createStatements([notes]))
      await db.apply(["INSERT INTO notes (a, b) VALUES (NULL, 'x'), ('kept', 'y')"])
      await db.apply(migration.up)
      const rows = await db.client.execute('SELECT a, b FROM notes ORDER BY id')
      expect(rows.rows.map((row) => [row.a, row.b])).toEqual([
        ['none', 'x'],
        ['kept', 'y'],
      ])
    } finally {
      await db.close()
    }
  })

  test('the backfill fits the new column, not the old one: a STRICT table whose column also changes type', async () => {
    // Found by the schema evolution property (src/evolution): the backfill used to UPDATE the old STRICT text
    // column to the new blob default, which SQLite refuses ("cannot store BLOB value in TEXT column").
    const strictNotes = { ...notes, strict: true }
    const next = withColumn(strictNotes, column('a', 'blob', { allowNull: false, default: "X'c32485'" }))
    const migration = await migrationBetween([strictNotes], [next])
    expect(migration.up).toContain(
      "INSERT INTO `__new_notes`(`id`, `a`, `b`) SELECT `id`, COALESCE(`a`, X'c32485'), `b` FROM `notes`;",
    )
    const db = await openTestDatabase()
    try {
      await db.apply(await createStatements([strictNotes]))
      await db.apply(["INSERT INTO notes (a, b) VALUES (NULL, 'x')"])
      await db.apply(migration.up)
      const rows = await db.client.execute('SELECT hex(a) AS a, b FROM notes ORDER BY id')
      expect(rows.rows.map((row) => [row.a, row.b])).toEqual([['C32485', 'x']])
    } finally {
      await db.close()
    }
  })

  test('a column made NOT NULL without a default is a warning that NULLs make it fail', async () => {
    const next = withColumn(notes, column('a', 'text', { allowNull: false }))
    const migration = await migrationBetween([notes], [next])
    expect(migration.up.some((statement) => statement.includes('COALESCE'))).toBe(false)
    expect(migration.warnings).toEqual([
      {
        kind: 'not_null',
        table: 'notes',
        column: 'a',
        message: 'column notes.a becomes NOT NULL without a default: an existing NULL makes the migration fail',
      },
    ])
  })

  test('type changes and NOT NULL columns without default added to a table are warned about', async () => {
    const next = withColumn(withColumn(notes, column('b', 'integer')), column('c', 'integer', { allowNull: false }))
    const migration = await migrationBetween([notes], [next])
    expect(migration.warnings.map((warning) => [warning.kind, warning.column])).toEqual([
      ['type_change', 'b'],
      ['add_not_null_column', 'c'],
    ])
    expect(migration.warnings[0]?.message).toBe(
      'column notes.b changes type from text to integer: stored values may be converted or lost',
    )
  })

  test('--dont-drop-columns keeps the column in the database and out of both directions', async () => {
    const next = withoutColumn(notes, 'b')
    expect(await migrationBetween([notes], [next], { dontDropColumns: true })).toEqual({
      up: [],
      down: [],
      warnings: [],
    })
  })

  test('--dont-drop-columns: a rebuild of the table keeps the column and its data', async () => {
    const next = withColumn(withoutColumn(notes, 'b'), column('a', 'text', { allowNull: false, default: "'x'" }))
    const migration = await migrationBetween([notes], [next], { dontDropColumns: true })
    expect(migration.up).toContain(
      "CREATE TABLE `__new_notes` (\n\t`id` integer PRIMARY KEY AUTOINCREMENT,\n\t`a` text DEFAULT 'x' NOT NULL,\n\t`b` text\n);\n",
    )
    expect(migration.up).toContain(
      "INSERT INTO `__new_notes`(`id`, `a`, `b`) SELECT `id`, COALESCE(`a`, 'x'), `b` FROM `notes`;",
    )
    const keptSchema = await schemaOf([withColumn(notes, column('a', 'text', { allowNull: false, default: "'x'" }))])
    await expectRoundTrip([notes], [next], migration, { expectedAfterUp: keptSchema })
  })
})

describe('tables', () => {
  test('renaming a table declared with renamedFrom, with a foreign key pointing at it', async () => {
    const accounts: TableState = {
      ...users,
      table: 'accounts',
      identities: [identity('accounts', 'uniqueEmail', ['email'])],
    }
    const postsOfAccounts = withColumn(
      posts,
      column('author_id', 'text', { references: reference('accounts', 'id', { onDelete: 'CASCADE' }) }),
    )
    const migration = await migrationBetween([users, posts], [accounts, postsOfAccounts], {
      renamedTables: { accounts: 'users' },
    })
    expect(migration.up).toEqual([
      'ALTER TABLE `users` RENAME TO `accounts`;',
      'DROP INDEX IF EXISTS `users_unique_email_index`;',
      'CREATE UNIQUE INDEX `accounts_unique_email_index` ON `accounts` (`email`);',
    ])
    expect(migration.down).toEqual([
      'ALTER TABLE `accounts` RENAME TO `users`;',
      'DROP INDEX IF EXISTS `accounts_unique_email_index`;',
      'CREATE UNIQUE INDEX `users_unique_email_index` ON `users` (`email`);',
    ])
    expect(migration.warnings).toEqual([])
    await expectRoundTrip([users, posts], [accounts, postsOfAccounts], migration)
  })

  test('renaming a table and one of its columns at once', async () => {
    const renamed = table('memos', [integerKey(), column('body'), column('b')])
    const migration = await migrationBetween([notes], [renamed], {
      flags: [
        { kind: 'table', from: 'notes', to: 'memos' },
        { kind: 'column', table: 'memos', from: 'a', to: 'body' },
      ],
    })
    expect(migration.up).toEqual([
      'ALTER TABLE `notes` RENAME TO `memos`;',
      'ALTER TABLE `memos` RENAME COLUMN `a` TO `body`;',
    ])
    expect(migration.down).toEqual([
      'ALTER TABLE `memos` RENAME TO `notes`;',
      'ALTER TABLE `notes` RENAME COLUMN `body` TO `a`;',
    ])
    await expectRoundTrip([notes], [renamed], migration)
  })

  test('dropping a table warns, and down creates it again', async () => {
    const migration = await migrationBetween([users, notes], [users])
    expect(migration.up).toEqual(['DROP TABLE `notes`;'])
    expect(migration.down).toEqual([
      'CREATE TABLE `notes` (\n\t`id` integer PRIMARY KEY AUTOINCREMENT,\n\t`a` text,\n\t`b` text\n);\n',
    ])
    expect(migration.warnings).toEqual([
      { kind: 'drop_table', table: 'notes', column: null, message: 'table notes is dropped with all its rows' },
    ])
    await expectRoundTrip([users, notes], [users], migration)
  })

  test('changing on_delete of a foreign key rebuilds the table', async () => {
    const next = withColumn(
      posts,
      column('author_id', 'text', { references: reference('users', 'id', { onDelete: 'SET NULL' }) }),
    )
    const migration = await migrationBetween([users, posts], [users, next])
    const createNew = (action: string) =>
      'CREATE TABLE `__new_posts` (\n\t`id` integer PRIMARY KEY AUTOINCREMENT,\n\t`title` text,\n\t`author_id` text,\n' +
      `\tCONSTRAINT \`fk_posts_author_id_users_id_fk\` FOREIGN KEY (\`author_id\`) REFERENCES \`users\`(\`id\`) ON DELETE ${action}\n);\n`
    const columns = '`id`, `title`, `author_id`'
    expect(migration.up).toEqual(rebuild('posts', createNew('SET NULL'), columns))
    expect(migration.down).toEqual(rebuild('posts', createNew('CASCADE'), columns))
    await expectRoundTrip([users, posts], [users, next], migration, {
      seed: [
        "INSERT INTO users (id, email) VALUES ('u1', 'a@b.c')",
        "INSERT INTO posts (title, author_id) VALUES ('t', 'u1')",
      ],
    })
  })

  test('changing the primary key rebuilds the table', async () => {
    const next = table('notes', [
      column('id', 'integer', { allowNull: false, primaryKey: true }),
      column('a', 'text', { allowNull: false, primaryKey: true }),
      column('b'),
    ])
    const migration = await migrationBetween([notes], [next])
    const columns = '`id`, `a`, `b`'
    expect(migration.up).toEqual(
      rebuild(
        'notes',
        'CREATE TABLE `__new_notes` (\n\t`id` integer NOT NULL,\n\t`a` text NOT NULL,\n\t`b` text,\n\tCONSTRAINT `notes_pk` PRIMARY KEY(`id`, `a`)\n);\n',
        columns,
      ),
    )
    expect(migration.down).toEqual(
      rebuild(
        'notes',
        'CREATE TABLE `__new_notes` (\n\t`id` integer PRIMARY KEY AUTOINCREMENT,\n\t`a` text,\n\t`b` text\n);\n',
        columns,
      ),
    )
    await expectRoundTrip([notes], [next], migration)
  })

  test('turning STRICT on rebuilds the table (drizzle-kit cannot see it), and down turns it off', async () => {
    const before = { ...notes, customIndexes: [customIndex('notes_a_index', ['a'])] }
    const next = { ...before, strict: true }
    const migration = await migrationBetween([before], [next])
    const create = (strict: string) =>
      `CREATE TABLE \`__new_notes\` (\n\t\`id\` integer PRIMARY KEY AUTOINCREMENT,\n\t\`a\` text,\n\t\`b\` text\n)${strict};\n`
    const index = 'CREATE INDEX `notes_a_index` ON `notes` (`a`);'
    expect(migration.up).toEqual([...rebuild('notes', create(' STRICT'), '`id`, `a`, `b`'), index])
    expect(migration.down).toEqual([...rebuild('notes', create(''), '`id`, `a`, `b`'), index])
    expect(migration.warnings.map((warning) => warning.kind)).toEqual(['strict'])
    await expectRoundTrip([before], [next], migration, { seed: ["INSERT INTO notes (a, b) VALUES ('x', 'y')"] })
  })

  test('a STRICT table that drizzle-kit rebuilds keeps STRICT, with no second rebuild', async () => {
    const before = { ...notes, strict: true }
    const next = withColumn(before, column('b', 'text', { allowNull: false, default: "''" }))
    const migration = await migrationBetween([before], [next])
    expect(migration.up.filter((statement) => statement.startsWith('CREATE TABLE'))).toEqual([
      "CREATE TABLE `__new_notes` (\n\t`id` integer PRIMARY KEY AUTOINCREMENT,\n\t`a` text,\n\t`b` text DEFAULT '' NOT NULL\n) STRICT;\n",
    ])
    expect(migration.down.filter((statement) => statement.startsWith('CREATE TABLE'))).toEqual([
      'CREATE TABLE `__new_notes` (\n\t`id` integer PRIMARY KEY AUTOINCREMENT,\n\t`a` text,\n\t`b` text\n) STRICT;\n',
    ])
    await expectRoundTrip([before], [next], migration)
  })

  test('turning STRICT on together with an added column: one rebuild creates the column', async () => {
    const next = { ...withColumn(notes, column('c', 'integer')), strict: true }
    const migration = await migrationBetween([notes], [next])
    expect(migration.up.filter((statement) => statement.includes(' ADD '))).toEqual([])
    expect(migration.up).toContain(
      'CREATE TABLE `__new_notes` (\n\t`id` integer PRIMARY KEY AUTOINCREMENT,\n\t`a` text,\n\t`b` text,\n\t`c` integer\n) STRICT;\n',
    )
    expect(migration.down.filter((statement) => statement.includes(' DROP COLUMN '))).toEqual([])
    await expectRoundTrip([notes], [next], migration)
  })
})

describe('foreign keys', () => {
  test('a self-referencing key, and a key to a table no state describes (sqlite.migrate: false)', async () => {
    const tree = table('tree', [
      integerKey(),
      column('parent_id', 'integer', { references: reference('tree', 'id', { onDelete: 'CASCADE' }) }),
      column('legacy_id', 'integer', { references: reference('legacy', 'code') }),
    ])
    const migration = await migrationBetween([], [tree])
    expect(migration.up).toEqual([
      'CREATE TABLE `tree` (\n' +
        '\t`id` integer PRIMARY KEY AUTOINCREMENT,\n' +
        '\t`parent_id` integer,\n' +
        '\t`legacy_id` integer,\n' +
        '\tCONSTRAINT `fk_tree_parent_id_tree_id_fk` FOREIGN KEY (`parent_id`) REFERENCES `tree`(`id`) ON DELETE CASCADE,\n' +
        '\tCONSTRAINT `fk_tree_legacy_id_legacy_code_fk` FOREIGN KEY (`legacy_id`) REFERENCES `legacy`(`code`)\n' +
        ');\n',
    ])
    const next = withColumn(
      tree,
      column('parent_id', 'integer', { references: reference('tree', 'id', { onDelete: 'SET NULL' }) }),
    )
    const rebuilt = await migrationBetween([tree], [next])
    expect(rebuilt.up[2]).toContain('REFERENCES `tree`(`id`) ON DELETE SET NULL')
    await expectRoundTrip([tree], [next], rebuilt)
  })
})

describe('indexes', () => {
  test('renaming an identity index drops the old index and creates the new one', async () => {
    const next = {
      ...users,
      identities: [{ ...identity('users', 'uniqueEmail', ['email']), indexName: 'users_email_key' }],
    }
    const migration = await migrationBetween([users], [next])
    expect(migration.up).toEqual([
      'DROP INDEX IF EXISTS `users_unique_email_index`;',
      'CREATE UNIQUE INDEX `users_email_key` ON `users` (`email`);',
    ])
    expect(migration.down).toEqual([
      'DROP INDEX IF EXISTS `users_email_key`;',
      'CREATE UNIQUE INDEX `users_unique_email_index` ON `users` (`email`);',
    ])
    await expectRoundTrip([users], [next], migration)
  })
})

describe('custom statements', () => {
  const touch = customStatement(
    'notes_touch',
    "CREATE TRIGGER notes_touch AFTER UPDATE ON notes BEGIN UPDATE notes SET b = 'touched' WHERE id = NEW.id; END;",
    'DROP TRIGGER notes_touch;',
  )
  const touchOnInsert = {
    ...touch,
    up: "CREATE TRIGGER notes_touch AFTER INSERT ON notes BEGIN UPDATE notes SET b = 'new' WHERE id = NEW.id; END;",
  }
  const withTouch = { ...notes, customStatements: [touch] }

  test('an added statement runs its up after the DDL, and its down in down.sql', async () => {
    const next = withColumn(withTouch, column('c'))
    const migration = await migrationBetween([notes], [next])
    expect(migration.up).toEqual(['ALTER TABLE `notes` ADD `c` text;', touch.up])
    expect(migration.down).toEqual([touch.down, 'ALTER TABLE `notes` DROP COLUMN `c`;'])
    await expectRoundTrip([notes], [next], migration)
  })

  test('a removed statement runs its down before the DDL, and its up in down.sql', async () => {
    const migration = await migrationBetween([withTouch], [notes])
    expect(migration.up).toEqual([touch.down])
    expect(migration.down).toEqual([touch.up])
    await expectRoundTrip([withTouch], [notes], migration)
  })

  test('a changed statement runs the old down then the new up, and the reverse in down.sql', async () => {
    const next = { ...notes, customStatements: [touchOnInsert] }
    const migration = await migrationBetween([withTouch], [next])
    expect(migration.up).toEqual([touch.down, touchOnInsert.up])
    expect(migration.down).toEqual([touchOnInsert.down, touch.up])
    await expectRoundTrip([withTouch], [next], migration)
  })

  test('the statements of a rebuilt table run again, since dropping the old table dropped their triggers', async () => {
    const next = withColumn(withTouch, column('a', 'text', { allowNull: false, default: "''" }))
    const migration = await migrationBetween([withTouch], [next])
    expect(migration.up[0]).toBe(touch.down)
    expect(migration.up.at(-1)).toBe(touch.up)
    expect(migration.down[0]).toBe(touch.down)
    expect(migration.down.at(-1)).toBe(touch.up)
    await expectRoundTrip([withTouch], [next], migration)
  })
})
