import { describe, expect, test } from 'vitest'
import { column, customIndex, identity, integerKey, reference, table } from './__fixtures__/states.js'
import { GenerateError } from './errors.js'
import { assertDiffable } from './schema-guard.js'

const notes = table('notes', [integerKey(), column('a')], { customIndexes: [customIndex('shared_index', ['a'])] })

describe('assertDiffable', () => {
  test('accepts a consistent schema, including a STRICT table with a collated text column', () => {
    const strict = table('tags', [integerKey(), column('a', 'text COLLATE NOCASE')], { strict: true })
    expect(() => assertDiffable([notes, strict])).not.toThrow()
  })

  test.each([
    [
      'an index name used by two tables',
      [
        notes,
        table('tags', [integerKey(), column('a')], {
          identities: [{ ...identity('tags', 'a', ['a']), indexName: 'shared_index' }],
        }),
      ],
      'Cannot generate a migration: index name shared_index is used by tables notes and tags; SQLite index names are unique per database: rename one (identityIndexNames, or the custom index name).',
    ],
    [
      'a table without columns',
      [table('empty', [])],
      'Cannot generate a migration: table empty has no columns; give its resource an attribute.',
    ],
    [
      'two foreign keys with one name',
      [
        table('links', [
          integerKey(),
          column('x', 'integer', { references: reference('notes', 'id', { name: 'link_fk' }) }),
          column('y', 'integer', { references: reference('notes', 'id', { name: 'link_fk' }) }),
        ]),
      ],
      "Cannot generate a migration: table links has two foreign keys named link_fk; change one of the references' names.",
    ],
    [
      'a STRICT table with a type SQLite refuses in STRICT tables',
      [table('money', [integerKey(), column('amount', 'numeric')], { strict: true })],
      'Cannot generate a migration: column money.amount has type numeric, which a STRICT table does not accept (int, integer, real, text, blob or any): change its migrationTypes entry, or drop strict.',
    ],
    [
      'a duplicate column',
      [table('dup', [integerKey(), column('a'), column('a')])],
      'Cannot generate a migration: table dup has two columns named a.',
    ],
  ])('rejects %s with a GenerateError instead of letting drizzle-kit exit the process', (_, states, message) => {
    expect(() => assertDiffable(states)).toThrow(new GenerateError(message))
  })
})
