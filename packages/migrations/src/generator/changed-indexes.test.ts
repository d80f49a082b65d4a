import { describe, expect, test } from 'vitest'
import { expectRoundTrip, migrationBetween } from './__fixtures__/migrations.js'
import { column, customIndex, identity, integerKey, table, withColumn } from './__fixtures__/states.js'

const columns = [integerKey(), column('a'), column('b')]
const seed = ["INSERT INTO notes (a, b) VALUES ('x', 'y'), ('x', 'z')"]

// Found by the schema evolution property (src/evolution): drizzle-kit wrote nothing for these changes, so the
// database kept the old index.
describe('an index that keeps its name but changes', () => {
  test('identity columns: dropped and created again, both ways', async () => {
    const before = table('notes', columns, { identities: [identity('notes', 'k2', ['a'])] })
    const after = table('notes', columns, { identities: [identity('notes', 'k2', ['a', 'b'])] })
    const migration = await migrationBetween([before], [after])
    expect(migration.up).toEqual([
      'DROP INDEX `notes_k2_index`;',
      'CREATE UNIQUE INDEX `notes_k2_index` ON `notes` (`a`,`b`);',
    ])
    expect(migration.down).toEqual([
      'DROP INDEX `notes_k2_index`;',
      'CREATE UNIQUE INDEX `notes_k2_index` ON `notes` (`a`);',
    ])
    await expectRoundTrip([before], [after], migration)
  })

  test('uniqueness and WHERE of a custom index', async () => {
    const before = table('notes', columns, { customIndexes: [customIndex('ix', ['a'])] })
    const unique = table('notes', columns, { customIndexes: [customIndex('ix', ['a'], { unique: true })] })
    const partial = table('notes', columns, { customIndexes: [customIndex('ix', ['a'], { where: 'a IS NOT NULL' })] })
    const toUnique = await migrationBetween([before], [unique])
    expect(toUnique.up).toEqual(['DROP INDEX `ix`;', 'CREATE UNIQUE INDEX `ix` ON `notes` (`a`);'])
    await expectRoundTrip([before], [unique], toUnique)
    const toPartial = await migrationBetween([before], [partial])
    expect(toPartial.up).toEqual(['DROP INDEX `ix`;', 'CREATE INDEX `ix` ON `notes` (`a`) WHERE a IS NOT NULL;'])
    await expectRoundTrip([before], [partial], toPartial, { seed })
  })

  test('an index over a renamed column is left to the rename', async () => {
    const before = table('notes', columns, { customIndexes: [customIndex('ix', ['a'])] })
    const after = table('notes', [integerKey(), column('c'), column('b')], {
      customIndexes: [customIndex('ix', ['c'])],
    })
    const migration = await migrationBetween([before], [after], { renamedColumns: { notes: { c: 'a' } } })
    expect(migration.up).toEqual(['ALTER TABLE `notes` RENAME COLUMN `a` TO `c`;'])
  })

  test('the old index goes before a column it covers is dropped', async () => {
    const before = table('notes', columns, { identities: [identity('notes', 'k1', ['a'])] })
    const after = table('notes', [integerKey(), column('b')], { identities: [identity('notes', 'k1', ['b'])] })
    const migration = await migrationBetween([before], [after])
    expect(migration.up).toEqual([
      'DROP INDEX `notes_k1_index`;',
      'ALTER TABLE `notes` DROP COLUMN `a`;',
      'CREATE UNIQUE INDEX `notes_k1_index` ON `notes` (`b`);',
    ])
    await expectRoundTrip([before], [after], migration)
  })

  test('a rebuilt table gets the new index from its rebuild only', async () => {
    const before = table('notes', columns, { customIndexes: [customIndex('ix', ['a'])] })
    const after = {
      ...withColumn(table('notes', columns), column('a', 'text', { allowNull: false, default: "'-'" })),
      customIndexes: [customIndex('ix', ['a', 'b'])],
    }
    const migration = await migrationBetween([before], [after])
    expect(migration.up.filter((statement) => statement.includes('INDEX'))).toEqual([
      'DROP INDEX `ix`;',
      'CREATE INDEX `ix` ON `notes` (`a`,`b`);',
    ])
    await expectRoundTrip([before], [after], migration, { seed: ["INSERT INTO notes (a, b) VALUES (NULL, 'y')"] })
  })
})
