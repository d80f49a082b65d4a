/**
 * `drizzle-orm/zod` schemas of resource tables validate each attribute type as its TypeScript type says:
 * strings as strings (ciString too), date-times as Dates (text or integer storage), uuids as UUIDs, enums as
 * their values, bigints as bigints.
 */
import { createInsertSchema, createSelectSchema } from 'drizzle-orm/zod'
import { describe, expect, test } from 'vitest'
import { Everything } from './__fixtures__/catalog.js'
import { attr, defineRepo, defineResource } from './index.js'

const valid = {
  id: '7a3c7d6e-0d4f-4c3e-9a55-0f5ae1f0c001',
  name: 'Lamp',
  email: 'Shop@Example.com',
  quantity: 3,
  weight: 1.25,
  price: '19.90',
  active: true,
  externalId: '4b8a1c0e-2d3f-4e5a-8b9c-0d1e2f3a4b5c',
  releaseDate: '2024-02-29',
  opensAt: '08:30:00',
  publishedAt: new Date('2024-03-01T10:20:30Z'),
  checkedAt: new Date('2024-03-01T10:20:30.123Z'),
  localTime: new Date('2024-03-01T10:20:30Z'),
  metadata: { color: 'red', sizes: [1, 2] },
  tags: ['a', 'b'],
  thumbnail: Buffer.from([1, 2, 3]),
  status: 'draft',
  insertedAt: new Date(),
  updatedAt: new Date(),
}

/** One wrong value per attribute: what `createInsertSchema(Everything.table)` must refuse. */
const wrong: Record<string, unknown> = {
  id: 'not-a-uuid',
  name: 12,
  email: 123,
  quantity: 1.5,
  weight: 'heavy',
  price: 19.9,
  active: 'yes',
  externalId: 'nope',
  releaseDate: 20240229,
  opensAt: 830,
  publishedAt: 'yesterday',
  checkedAt: '2024-03-01',
  localTime: 17,
  metadata: () => 1,
  tags: () => ['a'],
  thumbnail: 'bytes',
  status: 'deleted',
  insertedAt: 'now',
  updatedAt: 0,
}

describe('createInsertSchema of a resource table', () => {
  const insert = createInsertSchema(Everything.table)

  test('accepts a row of the right types, and NULL where the attribute allows it', () => {
    expect(insert.safeParse(valid).success).toBe(true)
    expect(insert.safeParse({ ...valid, email: null, publishedAt: null, status: null }).success).toBe(true)
    expect(insert.safeParse({ name: 'defaults fill the rest' }).success).toBe(true)
  })

  test.each(Object.entries(wrong))('refuses a wrong %s', (key, value) => {
    const result = insert.safeParse({ ...valid, [key]: value })
    expect(result.success).toBe(false)
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual([key])
  })

  test('not-null attributes are required, read back as their types', () => {
    const repo = defineRepo({ name: 'z', url: 'file:unused.db' })
    const Event = defineResource({
      name: 'Event',
      attributes: {
        id: attr.uuidV7PrimaryKey(),
        at: attr.utcDatetime({ allowNull: false, storage: 'unixepoch' }),
        atMs: attr.naiveDatetime({ storage: 'unixepochMs' }),
        counter: attr.bigint({ allowNull: false }),
        level: attr.enum(['low', 'high'], { allowNull: false, check: true }),
        code: attr.ciString({ allowNull: false }),
      },
      sqlite: { repo, table: 'events' },
    })
    const schema = createInsertSchema(Event.table)
    const row = { at: new Date(), counter: 2n ** 62n, level: 'low', code: 'ABC' }
    expect(schema.safeParse(row).success).toBe(true)
    expect(schema.safeParse({ ...row, at: '2024-01-01' }).success).toBe(false)
    expect(schema.safeParse({ ...row, atMs: 1700000000000 }).success).toBe(false)
    expect(schema.safeParse({ ...row, counter: 5 }).success).toBe(false)
    expect(schema.safeParse({ ...row, level: 'mid' }).success).toBe(false)
    expect(schema.safeParse({ ...row, code: null }).success).toBe(false)
    const { code: _code, ...missing } = row
    expect(schema.safeParse(missing).success).toBe(false)
    const select = createSelectSchema(Event.table)
    expect(select.safeParse({ ...row, id: '01890a5d-ac96-774b-bcce-b302099a8057', atMs: null }).success).toBe(true)
  })

  test('what drizzle-orm/zod cannot express: binary is a Buffer, json and array elements are any JSON', () => {
    expect(insert.safeParse({ ...valid, thumbnail: new Uint8Array([1]) }).success).toBe(false)
    expect(insert.safeParse({ ...valid, tags: [1, 2] }).success).toBe(true)
    expect(insert.safeParse({ ...valid, tags: 'a,b' }).success).toBe(true)
  })
})
