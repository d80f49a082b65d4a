import { sql } from 'drizzle-orm'
import { describe, expectTypeOf, test } from 'vitest'
import { attr, belongsTo, defineRepo, defineResource } from './index.js'

const repo = defineRepo({ name: 'types', url: 'file:unused.db' })

describe('types of the new attribute types and options', () => {
  test('bigint, integer date-times, uuid v7 keys, enum checks', () => {
    const Event = defineResource({
      name: 'Event',
      attributes: {
        id: attr.uuidV7PrimaryKey(),
        counter: attr.bigint({ allowNull: false, default: 0n }),
        at: attr.utcDatetime({ storage: 'unixepoch' }),
        atMs: attr.naiveDatetime({ storage: 'unixepochMs', allowNull: false }),
        level: attr.enum(['low', 'high'], { check: true, allowNull: false }),
      },
      sqlite: { repo, table: 'events' },
    })
    expectTypeOf(Event.table.$inferSelect).toEqualTypeOf<{
      id: string
      counter: bigint
      at: Date | null
      atMs: Date
      level: 'low' | 'high'
    }>()
    expectTypeOf(Event.table.$inferInsert).toEqualTypeOf<{
      id?: string
      counter?: bigint
      at?: Date | null
      atMs: Date
      level: 'low' | 'high'
    }>()
    // @ts-expect-error: storage is for date-times only
    attr.string({ storage: 'unixepoch' })
    // @ts-expect-error: check is for enums only
    attr.string({ check: true })
  })

  test('CHECK constraints, index keys, partial identities and a composite belongsTo', () => {
    const Warehouse = defineResource({
      name: 'Warehouse',
      attributes: { region: attr.string({ primaryKey: true }), code: attr.integer({ primaryKey: true }) },
      sqlite: { repo, table: 'warehouses' },
    })
    const Stock = defineResource({
      name: 'Stock',
      attributes: { id: attr.integerPrimaryKey(), region: attr.string(), code: attr.integer(), sku: attr.string() },
      relationships: { warehouse: belongsTo(() => Warehouse, { attributes: ['region', 'code'] }) },
      identities: { sku: { keys: ['sku'], where: sql`region IS NOT NULL`, nilsDistinct: false } },
      sqlite: {
        repo,
        table: 'stock',
        references: { warehouse: { onDelete: 'setDefault' } },
        checkConstraints: [{ name: 'code_positive', check: 'code > 0', message: 'codes start at 1' }],
        customIndexes: [{ fields: [{ field: 'sku', order: 'desc' }, { expression: 'lower(sku)' }, 'region'] }],
      },
    })
    // A composite belongsTo adds no attribute of its own.
    expectTypeOf(Stock.table.$inferSelect).toEqualTypeOf<{
      id: number
      region: string | null
      code: number | null
      sku: string | null
    }>()
    defineResource({
      name: 'Bad',
      attributes: { id: attr.integerPrimaryKey() },
      // @ts-expect-error: index fields name attributes of the resource
      sqlite: { repo, table: 'bad', customIndexes: [{ fields: [{ field: 'nope' }] }] },
    })
  })
})
