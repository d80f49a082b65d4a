import { describe, expect, test } from 'vitest'
import { expectedRebuild, expectRoundTrip, migrationBetween } from './__fixtures__/migrations.js'
import { openTestDatabase } from './__fixtures__/sqlite.js'
import { column, customIndex, integerKey, table, withColumn, withoutColumn } from './__fixtures__/states.js'
import { canAddToRows, isConstantDefault } from './unaddable-columns.js'

const notes = table('notes', [integerKey(), column('a'), column('b')], {
  customIndexes: [customIndex('notes_a_index', ['a'])],
})
const seed = ["INSERT INTO notes (a, b) VALUES ('x', 'y'), (NULL, 'z')"]

const rebuild = (createNew: string, columns: string) => [
  ...expectedRebuild('notes', createNew, columns),
  'CREATE INDEX `notes_a_index` ON `notes` (`a`);',
]

describe('columns SQLite cannot ADD to a table with rows', () => {
  test('a non-constant default: the table is rebuilt, and existing rows get the default', async () => {
    const next = withColumn(notes, column('stamped', 'text', { allowNull: false, default: '(CURRENT_TIMESTAMP)' }))
    const migration = await migrationBetween([notes], [next])
    expect(migration.up).toEqual(
      rebuild(
        'CREATE TABLE `__new_notes` (\n\t`id` integer PRIMARY KEY AUTOINCREMENT,\n\t`a` text,\n\t`b` text,\n' +
          '\t`stamped` text DEFAULT (CURRENT_TIMESTAMP) NOT NULL\n);\n',
        '`id`, `a`, `b`',
      ),
    )
    expect(migration.down).toEqual(['ALTER TABLE `notes` DROP COLUMN `stamped`;'])
    await expectRoundTrip([notes], [next], migration, { seed })

    const db = await openTestDatabase()
    try {
      await db.apply(['CREATE TABLE `notes` (`id` integer PRIMARY KEY AUTOINCREMENT, `a` text, `b` text);', ...seed])
      await db.apply(migration.up)
      const rows = await db.client.execute('SELECT a, stamped FROM notes ORDER BY id')
      expect(rows.rows.map((row) => [row.a, typeof row.stamped])).toEqual([
        ['x', 'string'],
        [null, 'string'],
      ])
    } finally {
      await db.close()
    }
  })

  test('a STORED generated column: no ADD before drizzle-kit rebuild, nor for the other new columns', async () => {
    const next = withColumn(
      withColumn(notes, column('upper_a', 'text', { generated: { as: 'upper(a)', mode: 'stored' } })),
      column('c', 'integer', { default: '1' }),
    )
    const migration = await migrationBetween([notes], [next])
    expect(migration.up.filter((statement) => statement.includes(' ADD '))).toEqual([])
    expect(migration.up[2]).toBe(
      'CREATE TABLE `__new_notes` (\n\t`id` integer PRIMARY KEY AUTOINCREMENT,\n\t`a` text,\n\t`b` text,\n' +
        '\t`upper_a` text GENERATED ALWAYS AS (upper(a)) STORED,\n\t`c` integer DEFAULT 1\n);\n',
    )
    await expectRoundTrip([notes], [next], migration, { seed })
  })

  test('the down migration of a dropped column with such a default rebuilds too', async () => {
    const before = withColumn(notes, column('stamped', 'text', { default: "(datetime('now'))" }))
    const migration = await migrationBetween([before], [notes])
    expect(migration.up).toEqual(['ALTER TABLE `notes` DROP COLUMN `stamped`;'])
    expect(migration.down).toEqual(
      rebuild(
        'CREATE TABLE `__new_notes` (\n\t`id` integer PRIMARY KEY AUTOINCREMENT,\n\t`a` text,\n\t`b` text,\n' +
          "\t`stamped` text DEFAULT (datetime('now'))\n);\n",
        '`id`, `a`, `b`',
      ),
    )
    await expectRoundTrip([before], [notes], migration, { seed })
  })

  test('constant defaults and virtual generated columns are still added with ALTER TABLE', async () => {
    const next = withColumn(
      withColumn(notes, column('c', 'text', { allowNull: false, default: "'it''s'" })),
      column('lower_a', 'text', { generated: { as: 'lower(a)', mode: 'virtual' } }),
    )
    const migration = await migrationBetween([notes], [next])
    expect(migration.up).toEqual([
      "ALTER TABLE `notes` ADD `c` text DEFAULT 'it''s' NOT NULL;",
      'ALTER TABLE `notes` ADD `lower_a` text GENERATED ALWAYS AS (lower(a)) VIRTUAL;',
    ])
    await expectRoundTrip([notes], [next], migration, { seed })
  })

  test('a NOT NULL column with a fractional default in a STRICT table: rebuilt, SQLite refuses to ADD it', async () => {
    // Found by the schema evolution property (src/evolution): SQLite 3.45 fails this ADD COLUMN on a table
    // with rows with "NOT NULL constraint failed", though the default is not NULL.
    const strictNotes = { ...notes, strict: true }
    const next = withColumn(strictNotes, column('ratio', 'real', { allowNull: false, default: '-107.5' }))
    const migration = await migrationBetween([strictNotes], [next])
    expect(migration.up).toEqual(
      rebuild(
        'CREATE TABLE `__new_notes` (\n\t`id` integer PRIMARY KEY AUTOINCREMENT,\n\t`a` text,\n\t`b` text,\n' +
          '\t`ratio` real DEFAULT -107.5 NOT NULL\n) STRICT;\n',
        '`id`, `a`, `b`',
      ),
    )
    await expectRoundTrip([strictNotes], [next], migration, { seed })

    const db = await openTestDatabase()
    try {
      await db.apply([
        'CREATE TABLE `notes` (`id` integer PRIMARY KEY AUTOINCREMENT, `a` text, `b` text) STRICT;',
        ...seed,
      ])
      await expect(db.apply(['ALTER TABLE `notes` ADD `ratio` real DEFAULT -107.5 NOT NULL;'])).rejects.toThrow(
        /NOT NULL constraint failed/,
      )
      await db.apply(migration.up)
      const rows = await db.client.execute('SELECT a, ratio FROM notes ORDER BY id')
      expect(rows.rows.map((row) => [row.a, row.ratio])).toEqual([
        ['x', -107.5],
        [null, -107.5],
      ])
    } finally {
      await db.close()
    }
  })

  test('the same column while STRICT is turned off: the ADD would still run on the STRICT table', async () => {
    const strictNotes = { ...notes, strict: true }
    const next = withColumn(notes, column('ratio', 'real', { allowNull: false, default: '-25.5' }))
    const migration = await migrationBetween([strictNotes], [next])
    expect(migration.up.some((statement) => statement.startsWith('ALTER TABLE `notes` ADD'))).toBe(false)
    expect(migration.up[2]).toBe(
      'CREATE TABLE `__new_notes` (\n\t`id` integer PRIMARY KEY AUTOINCREMENT,\n\t`a` text,\n\t`b` text,\n' +
        '\t`ratio` real DEFAULT -25.5 NOT NULL\n);\n',
    )
    await expectRoundTrip([strictNotes], [next], migration, { seed })
  })

  test('an index over the new column: created by the rebuild, after the column exists', async () => {
    // Found by the schema evolution property (src/evolution): drizzle-kit's CREATE INDEX for the new column
    // ran before the rebuild that adds the column ("no such column").
    const next = {
      ...withColumn(notes, column('stamped', 'text', { default: '(CURRENT_TIMESTAMP)' })),
      customIndexes: [customIndex('notes_a_index', ['a']), customIndex('notes_stamped_index', ['stamped'])],
    }
    const migration = await migrationBetween([notes], [next])
    expect(migration.up).toEqual([
      ...rebuild(
        'CREATE TABLE `__new_notes` (\n\t`id` integer PRIMARY KEY AUTOINCREMENT,\n\t`a` text,\n\t`b` text,\n' +
          '\t`stamped` text DEFAULT (CURRENT_TIMESTAMP)\n);\n',
        '`id`, `a`, `b`',
      ),
      'CREATE INDEX `notes_stamped_index` ON `notes` (`stamped`);',
    ])
    await expectRoundTrip([notes], [next], migration, { seed })
  })

  test('a column renamed in the same migration is copied under its new name', async () => {
    const renamed = withoutColumn(withColumn(notes, column('body')), 'b')
    const next = withColumn(renamed, column('stamped', 'text', { default: 'CURRENT_TIMESTAMP' }))
    const migration = await migrationBetween([notes], [next], { renamedColumns: { notes: { body: 'b' } } })
    expect(migration.up[0]).toBe('ALTER TABLE `notes` RENAME COLUMN `b` TO `body`;')
    expect(migration.up).toContain(
      'INSERT INTO `__new_notes`(`id`, `a`, `body`) SELECT `id`, `a`, `body` FROM `notes`;',
    )
    await expectRoundTrip([notes], [next], migration, { seed })
  })
})

test.each([
  ["'text'", true],
  ["'it''s'", true],
  ['-1', true],
  ['2.5e3', true],
  ['0x1F', true],
  ["X'00ff'", true],
  ['NULL', true],
  ['true', true],
  ["(('a'))", true],
  ['(-5)', true],
  ['CURRENT_TIMESTAMP', false],
  ['(CURRENT_TIMESTAMP)', false],
  ["(datetime('now'))", false],
  ['(1 + 2)', false],
  ["('a') || ('b')", false],
  ['(abs(random()) % 10)', false],
])('isConstantDefault(%s) is %s', (sqlDefault, constant) => {
  expect(isConstantDefault(sqlDefault)).toBe(constant)
})

test('canAddToRows', () => {
  expect(canAddToRows(column('a'))).toBe(true)
  expect(canAddToRows(column('a', 'text', { default: '(CURRENT_DATE)' }))).toBe(false)
  expect(canAddToRows(column('a', 'text', { generated: { as: 'b', mode: 'virtual' } }))).toBe(true)
  expect(canAddToRows(column('a', 'text', { generated: { as: 'b', mode: 'stored' } }))).toBe(false)
  const fractional = column('a', 'real', { allowNull: false, default: '2.5' })
  expect(canAddToRows(fractional)).toBe(true)
  expect(canAddToRows(fractional, true)).toBe(false)
  expect(canAddToRows({ ...fractional, allowNull: true }, true)).toBe(true)
  expect(canAddToRows(column('a', 'integer', { allowNull: false, default: '-5' }), true)).toBe(true)
  expect(canAddToRows(column('a', 'text', { allowNull: false, default: "'-6.5'" }), true)).toBe(true)
  expect(canAddToRows(column('a', 'any', { allowNull: false, default: "'-6.5'" }), true)).toBe(false)
})
