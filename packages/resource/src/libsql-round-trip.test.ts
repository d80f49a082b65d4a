import { eq } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/libsql'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { Post, User } from './__fixtures__/blog.js'
import { Account, catalog, Defaults, Everything, Options, Order, OrderLine } from './__fixtures__/catalog.js'
import { createStatements } from './test-utils/ddl.js'
import { execute, openTempDatabase, type TempDatabase } from './test-utils/sqlite.js'

let database: TempDatabase
beforeEach(async () => {
  database = await openTempDatabase()
  const resources = [...catalog, User, Post]
  await execute(
    database.client,
    await createStatements(Object.fromEntries(resources.map((r) => [r.tableName, r.table]))),
  )
})
afterEach(async () => {
  await database.close()
})

const rawRow = async (sql: string) => ({ ...(await database.client.execute(sql)).rows[0] })

describe('values written and read through drizzle-orm/libsql', () => {
  test('every attribute type comes back typed and equal', async () => {
    const db = drizzle({ client: database.client })
    const row = {
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
      metadata: { color: 'blue', sizes: [1, 2, 3] },
      tags: ['new', 'sale'],
      thumbnail: new Uint8Array([1, 2, 3, 255]),
      status: 'published' as const,
      insertedAt: new Date('2024-01-01T00:00:00.001Z'),
      updatedAt: new Date('2024-01-01T00:00:00.002Z'),
    }
    await db.insert(Everything.table).values(row)
    const [read] = await db.select().from(Everything.table)
    expect(read).toEqual({ ...row, thumbnail: expect.any(Uint8Array) })
    expect([...(read?.thumbnail ?? [])]).toEqual([1, 2, 3, 255])
    expect(read?.publishedAt).toBeInstanceOf(Date)

    // Stored as AshSqlite stores them: ISO-8601 text, 0/1 booleans, JSON text.
    expect(
      await rawRow(
        'SELECT active, published_at, checked_at, local_time, metadata, tags, typeof(thumbnail) AS thumbnail FROM everything',
      ),
    ).toEqual({
      active: 1,
      published_at: '2024-03-01T10:20:30Z',
      checked_at: '2024-03-01T10:20:30.123000Z',
      local_time: '2024-03-01T10:20:30',
      metadata: '{"color":"blue","sizes":[1,2,3]}',
      tags: '["new","sale"]',
      thumbnail: 'blob',
    })
  })

  test('where clauses compare in the stored representation', async () => {
    const db = drizzle({ client: database.client })
    const publishedAt = new Date('2024-03-01T10:20:30Z')
    await db.insert(Everything.table).values({ publishedAt, active: false, email: 'A@B.C' })
    expect(
      await db
        .select({ active: Everything.table.active })
        .from(Everything.table)
        .where(eq(Everything.table.publishedAt, publishedAt)),
    ).toEqual([{ active: false }])
    // ciString columns compare case-insensitively.
    expect(
      await db
        .select({ email: Everything.table.email })
        .from(Everything.table)
        .where(eq(Everything.table.email, 'a@b.c')),
    ).toEqual([{ email: 'A@B.C' }])
  })

  test('application-side defaults: uuid primary keys and timestamps', async () => {
    const db = drizzle({ client: database.client })
    const before = Date.now()
    const [inserted] = await db.insert(Everything.table).values({ name: 'x' }).returning()
    expect(inserted?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(inserted?.insertedAt.getTime()).toBeGreaterThanOrEqual(before)
    expect(inserted?.updatedAt.getTime()).toBeGreaterThanOrEqual(before)
    const earlier = new Date('2020-01-01T00:00:00Z')
    await db
      .update(Everything.table)
      .set({ updatedAt: earlier })
      .where(eq(Everything.table.id, inserted?.id ?? ''))
    await db
      .update(Everything.table)
      .set({ name: 'y' })
      .where(eq(Everything.table.id, inserted?.id ?? ''))
    const [updated] = await db.select().from(Everything.table)
    expect(updated?.updatedAt.getTime()).toBeGreaterThanOrEqual(before)
    expect(updated?.insertedAt).toEqual(inserted?.insertedAt)
  })

  test('database defaults fill omitted columns and read back typed', async () => {
    const db = drizzle({ client: database.client })
    const [row] = await db.insert(Defaults.table).values({}).returning()
    expect(row).toMatchObject({
      id: 1,
      name: "it's",
      quantity: -1,
      weight: 2.5,
      price: '9.99',
      active: true,
      archived: false,
      releaseDate: '2024-01-31',
      opensAt: '09:00:00',
      publishedAt: new Date('2024-01-02T03:04:05Z'),
      metadata: { color: 'red', note: "O'Brien" },
      tags: ['a', 'b'],
      status: 'draft',
      nothing: null,
    })
    expect([...(row?.thumbnail ?? [])]).toEqual([0, 255, 16])
    // CURRENT_TIMESTAMP writes `YYYY-MM-DD HH:MM:SS` (UTC), which reads back as a Date.
    expect(row?.checkedAt).toBeInstanceOf(Date)
    expect(Math.abs((row?.checkedAt?.getTime() ?? 0) - Date.now())).toBeLessThan(60_000)
    expect(row?.overridden).toBeGreaterThanOrEqual(0)
  })

  test('columns with overridden SQL types keep their value mapping', async () => {
    const db = drizzle({ client: database.client })
    await db
      .insert(Options.table)
      .values({ id: 1, title: 'Hello', price: '1.50', code: 'AbC', anything: { nested: [true] } })
    expect(await db.select().from(Options.table)).toEqual([
      {
        id: 1,
        title: 'Hello',
        upperTitle: 'HELLO',
        titleLength: 5,
        price: '1.50',
        code: 'AbC',
        anything: { nested: [true] },
      },
    ])
  })

  test('belongsTo keys, references and composite keys', async () => {
    const db = drizzle({ client: database.client })
    const [user] = await db.insert(User.table).values({ email: 'ann@example.com', fullName: 'Ann' }).returning()
    const authorId = user?.id ?? ''
    await db.insert(Post.table).values([
      { title: 'one', authorId },
      { title: 'two', authorId },
    ])
    const posts = await db.select().from(Post.table).where(eq(Post.table.authorId, authorId))
    // The custom statement is not part of the Drizzle table, so titles stay as written.
    expect(posts).toEqual([
      { id: 1, title: 'one', authorId },
      { id: 2, title: 'two', authorId },
    ])
    expect(user).toMatchObject({ age: 0, role: 'member', fullName: 'Ann' })
    await expect(db.insert(Post.table).values({ title: 'orphan', authorId: 'nobody' })).rejects.toThrow()

    await db.insert(Account.table).values({ id: 'acc', email: 'a@b.c', handle: 'a', tenant: 't' })
    await db.insert(Order.table).values({ accountId: 'acc' })
    await db.insert(OrderLine.table).values([
      { orderId: 1, position: 1 },
      { orderId: 1, position: 2, quantity: 5 },
    ])
    await expect(db.insert(OrderLine.table).values({ orderId: 1, position: 1 })).rejects.toThrow()
    expect(await db.select().from(OrderLine.table)).toEqual([
      { position: 1, quantity: 1, orderId: 1 },
      { position: 2, quantity: 5, orderId: 1 },
    ])
  })
})
