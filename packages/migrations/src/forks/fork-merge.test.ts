import { describe, expect, test } from 'vitest'
import {
  column,
  customIndex,
  customStatement,
  integerKey,
  reference,
  table,
  withColumn,
} from '../generator/__fixtures__/states.js'
import { mergeFork } from './fork-merge.js'

const base = table('posts', [integerKey(), column('title')])
const side = (label: string, state = base) => ({ label, state })

describe('mergeFork', () => {
  test('distinct additions on each side commute: the union, base columns first, then each side in order', () => {
    const a = withColumn(base, column('subtitle'))
    const b = {
      ...withColumn(base, column('slug')),
      customIndexes: [customIndex('posts_slug_index', ['slug'])],
      customStatements: [customStatement('v', 'CREATE VIEW v AS SELECT 1', 'DROP VIEW v')],
    }
    const merged = mergeFork(base, [side('A', a), side('B', b)])
    expect(merged.kind).toBe('union')
    if (merged.kind !== 'union') return
    expect(merged.state.columns.map((c) => c.source)).toEqual(['id', 'title', 'subtitle', 'slug'])
    expect(merged.state.customIndexes).toEqual(b.customIndexes)
    expect(merged.state.customStatements).toEqual(b.customStatements)
  })

  test.each([
    [
      'the same column on both sides',
      withColumn(base, column('slug')),
      withColumn(base, column('slug')),
      'A and B both add column slug',
    ],
    [
      'a changed column (rebuild)',
      base,
      { ...base, columns: [integerKey(), column('title', 'text', { allowNull: false, default: "'x'" })] },
      'B changes column title of table posts (SQLite rebuilds the table for it)',
    ],
    ['a dropped column', base, table('posts', [integerKey()]), 'B removes column title'],
    ['a STRICT toggle', base, { ...base, strict: true }, 'B changes strict of table posts'],
    [
      'an added NOT NULL column without default',
      base,
      withColumn(base, column('n', 'integer', { allowNull: false })),
      'B adds column n to table posts, which SQLite cannot ADD',
    ],
    [
      'an added column with a non-constant default',
      base,
      withColumn(base, column('at', 'text', { default: '(CURRENT_TIMESTAMP)' })),
      'B adds column at',
    ],
    [
      'an added NOT NULL foreign key',
      base,
      withColumn(base, column('u', 'integer', { allowNull: false, default: '0', references: reference('users') })),
      'B adds column u',
    ],
    ['a dropped table', base, table('posts', []), 'B drops table posts'],
  ])('%s does not commute', (_, a, b, reason) => {
    const merged = mergeFork(base, [side('A', a), side('B', b)])
    expect(merged).toEqual({ kind: 'conflict', reason: expect.stringContaining(reason) })
  })

  test('a nullable foreign key column and a constant default can be ADDed: they commute', () => {
    const a = withColumn(base, column('author_id', 'integer', { references: reference('users') }))
    const b = withColumn(base, column('views', 'integer', { allowNull: false, default: '0' }))
    expect(mergeFork(base, [side('A', a), side('B', b)]).kind).toBe('union')
  })

  test('two branches that each created the table do not commute', () => {
    expect(mergeFork(null, [side('A'), side('B')])).toEqual({
      kind: 'conflict',
      reason: 'A and B each create table posts',
    })
  })
})
