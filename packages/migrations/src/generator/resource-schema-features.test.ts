/**
 * The DSL features of the complete Drizzle schema (CHECK constraints, composite and SET DEFAULT foreign keys,
 * expression and descending index keys, partial and nils-not-distinct identities, integer date-times, bigint),
 * each generated as a follow-up migration on a table that holds rows, applied, rolled back and applied again
 * on a real SQLite file; drizzle-orm's own migrate() builds the same schema from the folders.
 */
import { type AnyResource, attr, belongsTo, defineDomain, defineRepo, defineResource } from '@ash-sqlite/resource'
import { createClient } from '@libsql/client'
import { drizzle } from 'drizzle-orm/libsql'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import {
  createScenarioProject,
  expectLastMigrationRoundTrips,
  openScenarioDatabase,
  type ScenarioDatabase,
  type ScenarioProject,
  tick,
} from './__fixtures__/scenario-project.js'

const main = defineRepo({ name: 'main', url: 'file:unused.db' })
const domain = (...resources: AnyResource[]) => defineDomain({ name: 'shop', resources })

let project: ScenarioProject
beforeEach(async () => {
  project = await createScenarioProject()
})
afterEach(async () => {
  await project.remove()
})

const tableSql = async (db: ScenarioDatabase, table: string) =>
  String((await db.rows(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = '${table}'`))[0]?.sql)

const product = (checks: { name: string; check: string }[], options: { enumCheck?: boolean } = {}) =>
  defineResource({
    name: 'Product',
    attributes: {
      id: attr.integerPrimaryKey(),
      price: attr.integer({ allowNull: false }),
      status: attr.enum(['draft', 'live'], { check: options.enumCheck ?? false }),
    },
    sqlite: { repo: main, table: 'products', checkConstraints: checks },
  })

const rows = ['INSERT INTO products (id, price, status) VALUES (1, 5, NULL), (2, 10, ?), (3, 20, ?)']
const seed = [rows[0]!.replace('?', "'draft'").replace('?', "'live'")]

describe('CHECK constraints', () => {
  test('added, changed and dropped on a table with rows, each way', async () => {
    const steps = [
      product([]),
      product([{ name: 'price_positive', check: 'price > 0' }]),
      product([{ name: 'price_positive', check: 'price >= 5' }]),
      product([]),
    ]
    for (const [index, step] of steps.entries()) {
      await project.generate(domain(step), { now: tick(index) })
      if (index === 0) continue
      await expectLastMigrationRoundTrips(project, domain(step), {
        seed,
        afterUp: async (db) => {
          const sql = await tableSql(db, 'products')
          if (index === 3) expect(sql).not.toContain('CHECK')
          else expect(sql).toContain(`CONSTRAINT "price_positive" CHECK(${index === 1 ? 'price > 0' : 'price >= 5'})`)
          expect(await db.rows('SELECT id, price FROM products ORDER BY id')).toEqual([
            { id: 1, price: 5 },
            { id: 2, price: 10 },
            { id: 3, price: 20 },
          ])
          if (index !== 3) {
            await expect(db.client.execute('INSERT INTO products (price) VALUES (0)')).rejects.toThrow(
              /CHECK constraint failed: price_positive/,
            )
          }
        },
        afterDown: async (db) => {
          expect(await db.rows('SELECT count(*) AS n FROM products')).toEqual([{ n: 3 }])
        },
      })
    }
  })

  test('a change that rows break rolls back, naming the constraint and a breaking rowid', async () => {
    await project.generate(domain(product([{ name: 'price_positive', check: 'price > 0' }])), { now: tick(0) })
    await project.generate(domain(product([{ name: 'price_positive', check: 'price > 7' }])), { now: tick(1) })
    const [first, second] = await project.folders()
    const db = await openScenarioDatabase(project)
    try {
      await db.run(first!, 'up')
      for (const statement of seed) await db.client.execute(statement)
      const schema = await db.schema()
      const sql = await tableSql(db, 'products')
      await expect(db.run(second!, 'up')).rejects.toThrow(
        "check constraint price_positive fails for the row of products with rowid 1'",
      )
      expect(await db.schema()).toEqual(schema)
      expect(await tableSql(db, 'products')).toBe(sql)
      expect(await db.rows('SELECT count(*) AS n FROM products')).toEqual([{ n: 3 }])
    } finally {
      await db.close()
    }
  })

  test('a check over a column added in the same change is checked at the column default', async () => {
    const Before = defineResource({
      name: 'Product',
      attributes: { id: attr.integerPrimaryKey(), price: attr.integer({ allowNull: false }) },
      sqlite: { repo: main, table: 'products' },
    })
    const withStock = (least: number) =>
      defineResource({
        name: 'Product',
        attributes: {
          id: attr.integerPrimaryKey(),
          price: attr.integer({ allowNull: false }),
          stock: attr.integer({ allowNull: false, default: 0 }),
        },
        sqlite: {
          repo: main,
          table: 'products',
          checkConstraints: [{ name: 'stock_counted', check: `stock >= ${least}` }],
        },
      })
    await project.generate(domain(Before), { now: tick(0) })
    await project.generate(domain(withStock(0)), { now: tick(1) })
    await expectLastMigrationRoundTrips(project, domain(withStock(0)), {
      seed: ['INSERT INTO products (id, price) VALUES (1, 5)'],
      afterUp: async (db) => expect(await db.rows('SELECT id, stock FROM products')).toEqual([{ id: 1, stock: 0 }]),
    })
    // The default (0) breaks `stock >= 1`: the migration names the row instead of SQLite's bare constraint name.
    await project.remove()
    project = await createScenarioProject()
    await project.generate(domain(Before), { now: tick(0) })
    await project.generate(domain(withStock(1)), { now: tick(1) })
    const [first, second] = await project.folders()
    const db = await openScenarioDatabase(project)
    try {
      await db.run(first!, 'up')
      await db.client.execute('INSERT INTO products (id, price) VALUES (4, 5)')
      await expect(db.run(second!, 'up')).rejects.toThrow(
        'check constraint stock_counted fails for the row of products with rowid 4',
      )
      expect(await db.rows('SELECT id, price FROM products')).toEqual([{ id: 4, price: 5 }])
    } finally {
      await db.close()
    }
  })

  test('attr.enum(..., { check: true }) enforces the values; NULL stays allowed', async () => {
    await project.generate(domain(product([])), { now: tick(0) })
    const current = domain(product([], { enumCheck: true }))
    const result = await project.generate(current, { now: tick(1) })
    expect(result.repos[0]?.migration?.up.join('\n')).toContain(
      `CONSTRAINT "products_status_enum" CHECK("status" IN ('draft', 'live'))`,
    )
    await expectLastMigrationRoundTrips(project, current, {
      seed,
      afterUp: async (db) => {
        await expect(db.client.execute("INSERT INTO products (price, status) VALUES (1, 'gone')")).rejects.toThrow(
          /CHECK constraint failed: products_status_enum/,
        )
        await db.client.execute('INSERT INTO products (price, status) VALUES (1, NULL)')
      },
      afterDown: async (db) => {
        await db.client.execute("INSERT INTO products (id, price, status) VALUES (9, 1, 'gone')")
        await db.client.execute('DELETE FROM products WHERE id = 9')
      },
    })
  })

  test('a snapshot written before checks existed stays equal: nothing to generate', async () => {
    await project.generate(domain(product([])), { now: tick(0) })
    const snapshots = Object.entries(await project.files()).filter(([path]) => path.startsWith('resource_snapshots/'))
    expect(snapshots).toHaveLength(1)
    const state = JSON.parse(snapshots[0]![1]).state
    expect(Object.keys(state)).not.toContain('checkConstraints')
    expect(Object.keys(state)).not.toContain('foreignKeys')
    const again = await project.generate(domain(product([])), { now: tick(1) })
    expect(again.repos[0]?.migration).toBeNull()
  })
})

describe('foreign keys', () => {
  const Warehouse = defineResource({
    name: 'Warehouse',
    attributes: { region: attr.string({ primaryKey: true }), code: attr.integer({ primaryKey: true }) },
    sqlite: { repo: main, table: 'warehouses' },
  })
  const stock = (composite: boolean) =>
    defineResource({
      name: 'Stock',
      attributes: { id: attr.integerPrimaryKey(), region: attr.string(), code: attr.integer() },
      relationships: composite ? { warehouse: belongsTo(() => Warehouse, { attributes: ['region', 'code'] }) } : {},
      sqlite: { repo: main, table: 'stock', references: composite ? { warehouse: { onDelete: 'delete' } } : {} },
    })

  test('a composite belongsTo added to a child table with rows, and its cascade', async () => {
    await project.generate(domain(Warehouse, stock(false)), { now: tick(0) })
    const current = domain(Warehouse, stock(true))
    const result = await project.generate(current, { now: tick(1) })
    expect(result.repos[0]?.migration?.up.join('\n')).toContain(
      'FOREIGN KEY (`region`,`code`) REFERENCES `warehouses`(`region`,`code`) ON DELETE CASCADE',
    )
    await expectLastMigrationRoundTrips(project, current, {
      seed: [
        "INSERT INTO warehouses (region, code) VALUES ('eu', 1), ('eu', 2)",
        "INSERT INTO stock (id, region, code) VALUES (1, 'eu', 1), (2, 'eu', 2), (3, 'eu', 2)",
      ],
      afterUp: async (db) => {
        await db.client.execute('PRAGMA foreign_keys=ON')
        await expect(db.client.execute("INSERT INTO stock (region, code) VALUES ('us', 1)")).rejects.toThrow(
          /FOREIGN KEY constraint failed/,
        )
        await db.client.execute("DELETE FROM warehouses WHERE region = 'eu' AND code = 2")
        expect(await db.rows('SELECT id FROM stock ORDER BY id')).toEqual([{ id: 1 }])
      },
      afterDown: async (db) => {
        await db.client.execute('PRAGMA foreign_keys=ON')
        await db.client.execute("INSERT INTO stock (id, region, code) VALUES (9, 'us', 1)")
        await db.client.execute('DELETE FROM stock WHERE id = 9')
      },
    })
  })

  const Category = defineResource({
    name: 'Category',
    attributes: { id: attr.integer({ primaryKey: true }), slug: attr.string({ allowNull: false }) },
    identities: { slug: ['slug'] },
    sqlite: { repo: main, table: 'categories' },
  })
  const item = (onDelete: 'restrict' | 'setDefault') =>
    defineResource({
      name: 'Item',
      attributes: { id: attr.integerPrimaryKey() },
      relationships: {
        category: belongsTo(() => Category, { destinationAttribute: 'slug', allowNull: false }),
      },
      sqlite: {
        repo: main,
        table: 'items',
        references: { category: { onDelete } },
        migrationDefaults: { categoryId: "'misc'" },
      },
    })

  test('ON DELETE SET DEFAULT, to a unique key that is not the primary key', async () => {
    await project.generate(domain(Category, item('restrict')), { now: tick(0) })
    const current = domain(Category, item('setDefault'))
    const result = await project.generate(current, { now: tick(1) })
    expect(result.repos[0]?.migration?.up.join('\n')).toContain('REFERENCES `categories`(`slug`) ON DELETE SET DEFAULT')
    await expectLastMigrationRoundTrips(project, current, {
      seed: [
        "INSERT INTO categories (id, slug) VALUES (1, 'misc'), (2, 'toys')",
        "INSERT INTO items (id, category_id) VALUES (1, 'toys'), (2, 'misc')",
      ],
      afterUp: async (db) => {
        await db.client.execute('PRAGMA foreign_keys=ON')
        await db.client.execute("DELETE FROM categories WHERE slug = 'toys'")
        expect(await db.rows('SELECT id, category_id FROM items ORDER BY id')).toEqual([
          { id: 1, category_id: 'misc' },
          { id: 2, category_id: 'misc' },
        ])
      },
      afterDown: async (db) => {
        await db.client.execute('PRAGMA foreign_keys=ON')
        await expect(db.client.execute("DELETE FROM categories WHERE slug = 'misc'")).rejects.toThrow(
          /FOREIGN KEY constraint failed/,
        )
      },
    })
  })
})

describe('indexes', () => {
  const customer = (version: 1 | 2 | 3) =>
    defineResource({
      name: 'Customer',
      attributes: {
        id: attr.integerPrimaryKey(),
        email: attr.string(),
        score: attr.integer(),
        deletedAt: attr.utcDatetime(),
      },
      identities:
        version === 1
          ? {}
          : {
              email: { keys: ['email'], where: 'deleted_at IS NULL', nilsDistinct: version === 3 ? false : true },
            },
      sqlite: {
        repo: main,
        table: 'customers',
        customIndexes:
          version === 1
            ? [{ name: 'customers_by_score', fields: ['score'] }]
            : [
                { name: 'customers_by_score', fields: [{ field: 'score', order: 'desc' }] },
                { name: 'customers_email_lower', fields: [{ expression: 'lower(email)' }] },
              ],
      },
    })
  const seedRows = [
    "INSERT INTO customers (id, email, score, deleted_at) VALUES (1, 'a@x', 1, NULL), (2, 'a@x', 2, '2024-01-01T00:00:00Z'), (3, NULL, 3, NULL), (4, NULL, 4, NULL)",
  ]
  const indexSql = async (db: ScenarioDatabase, name: string) =>
    String((await db.rows(`SELECT sql FROM sqlite_master WHERE type = 'index' AND name = '${name}'`))[0]?.sql)

  test('expression and descending keys, a changed key order under one name, a partial identity', async () => {
    await project.generate(domain(customer(1)), { now: tick(0) })
    const current = domain(customer(2))
    const result = await project.generate(current, { now: tick(1) })
    // drizzle-kit names indexes apart only by name: the changed one is dropped and created again.
    expect(result.repos[0]?.migration?.up).toEqual([
      'DROP INDEX `customers_by_score`;',
      'CREATE UNIQUE INDEX `customers_email_index` ON `customers` (`email`) WHERE deleted_at IS NULL;',
      'CREATE INDEX `customers_email_lower` ON `customers` (lower(email));',
      'CREATE INDEX `customers_by_score` ON `customers` ("score" DESC);',
    ])
    await expectLastMigrationRoundTrips(project, current, {
      seed: seedRows,
      afterUp: async (db) => {
        expect(await indexSql(db, 'customers_by_score')).toContain('"score" DESC')
        expect(await indexSql(db, 'customers_email_lower')).toContain('(lower(email))')
        expect(await indexSql(db, 'customers_email_index')).toContain('WHERE deleted_at IS NULL')
        // Partial: a deleted customer's email may repeat; a live one's may not.
        await db.client.execute("INSERT INTO customers (email, deleted_at) VALUES ('a@x', '2024-02-02T00:00:00Z')")
        await expect(db.client.execute("INSERT INTO customers (email) VALUES ('a@x')")).rejects.toThrow(/UNIQUE/)
      },
      afterDown: async (db) => {
        expect(await indexSql(db, 'customers_by_score')).not.toContain('DESC')
        await db.client.execute("INSERT INTO customers (id, email) VALUES (9, 'a@x')")
        await db.client.execute('DELETE FROM customers WHERE id = 9')
      },
    })
  })

  test('nilsDistinct: false makes two NULL keys duplicates; rows that already break it fail the migration', async () => {
    await project.generate(domain(customer(2)), { now: tick(0) })
    const current = domain(customer(3))
    await project.generate(current, { now: tick(1) })
    await expectLastMigrationRoundTrips(project, current, {
      seed: ["INSERT INTO customers (id, email, score) VALUES (1, 'a@x', 1), (3, NULL, 3)"],
      afterUp: async (db) => {
        await expect(db.client.execute('INSERT INTO customers (email) VALUES (NULL)')).rejects.toThrow(/UNIQUE/)
        await db.client.execute("INSERT INTO customers (email) VALUES ('0')")
      },
      afterDown: async (db) => {
        await db.client.execute('INSERT INTO customers (id, email) VALUES (9, NULL)')
        await db.client.execute('DELETE FROM customers WHERE id = 9')
      },
    })
    const [first, second] = await project.folders()
    const db = await openScenarioDatabase(project)
    try {
      await db.run(first!, 'up')
      for (const statement of seedRows) await db.client.execute(statement)
      await expect(db.run(second!, 'up')).rejects.toThrow(/UNIQUE constraint failed/)
      expect(await db.rows('SELECT count(*) AS n FROM customers')).toEqual([{ n: 4 }])
    } finally {
      await db.close()
    }
  })
})

describe('types', () => {
  const Before = defineResource({
    name: 'Event',
    attributes: { id: attr.integerPrimaryKey(), name: attr.string() },
    sqlite: { repo: main, table: 'events' },
  })
  const Event = defineResource({
    name: 'Event',
    attributes: {
      id: attr.integerPrimaryKey(),
      name: attr.string(),
      at: attr.utcDatetime({ storage: 'unixepoch', default: new Date('2024-01-01T00:00:00Z') }),
      atMs: attr.utcDatetimeUsec({ storage: 'unixepochMs' }),
      counter: attr.bigint({ default: 9007199254740993n }),
    },
    sqlite: { repo: main, table: 'events' },
  })

  test('unixepoch and unixepochMs date-times and a bigint, added to a table with rows, read through drizzle', async () => {
    await project.generate(domain(Before), { now: tick(0) })
    const current = domain(Event)
    const result = await project.generate(current, { now: tick(1) })
    expect(result.repos[0]?.migration?.up).toEqual([
      'ALTER TABLE `events` ADD `at` integer DEFAULT 1704067200;',
      'ALTER TABLE `events` ADD `at_ms` integer;',
      'ALTER TABLE `events` ADD `counter` integer DEFAULT 9007199254740993;',
    ])
    await expectLastMigrationRoundTrips(project, current, {
      seed: ["INSERT INTO events (id, name) VALUES (1, 'old')"],
      afterUp: async (db) => {
        const orm = drizzle({ client: db.client })
        await orm.insert(Event.table).values({
          id: 2,
          name: 'new',
          at: new Date('2025-05-05T05:05:05Z'),
          atMs: new Date('2025-05-05T05:05:05.123Z'),
          counter: 2n ** 62n,
        })
        const dates = { id: Event.table.id, at: Event.table.at, atMs: Event.table.atMs }
        expect(await orm.select(dates).from(Event.table).orderBy(Event.table.id)).toEqual([
          { id: 1, at: new Date('2024-01-01T00:00:00Z'), atMs: null },
          { id: 2, at: new Date('2025-05-05T05:05:05Z'), atMs: new Date('2025-05-05T05:05:05.123Z') },
        ])
        // Integers beyond 2^53 need a client in bigint mode (libSQL's number mode refuses them).
        const client = createClient({ url: db.url, intMode: 'bigint' })
        try {
          const big = drizzle({ client })
          expect(await big.select({ counter: Event.table.counter }).from(Event.table).orderBy(Event.table.id)).toEqual([
            { counter: 9007199254740993n },
            { counter: 2n ** 62n },
          ])
        } finally {
          client.close()
        }
        expect(await db.rows('SELECT typeof(at) AS a, typeof(at_ms) AS b, at_ms FROM events WHERE id = 2')).toEqual([
          { a: 'integer', b: 'integer', at_ms: 1746421505123 },
        ])
      },
    })
  })
})

describe('renames', () => {
  const before = defineResource({
    name: 'Order',
    attributes: { id: attr.integerPrimaryKey(), price: attr.integer({ allowNull: false }) },
    sqlite: {
      repo: main,
      table: 'orders',
      checkConstraints: [{ name: 'positive', check: 'price > 0' }],
      customIndexes: [{ name: 'orders_by_value', fields: [{ field: 'price', order: 'desc' }] }],
    },
  })
  const after = defineResource({
    name: 'Order',
    attributes: { id: attr.integerPrimaryKey(), amount: attr.integer({ allowNull: false, renamedFrom: 'price' }) },
    sqlite: {
      repo: main,
      table: 'orders',
      checkConstraints: [{ name: 'positive', check: 'amount > 0' }],
      customIndexes: [{ name: 'orders_by_value', fields: [{ field: 'amount', order: 'desc' }] }],
    },
  })

  test('renamedFrom renames a column that a check and a descending index use, keeping the rows', async () => {
    await project.generate(domain(before), { now: tick(0) })
    const current = domain(after)
    const result = await project.generate(current, { now: tick(1) })
    expect(result.repos[0]?.migration?.up[0]).toBe('ALTER TABLE `orders` RENAME COLUMN `price` TO `amount`;')
    await expectLastMigrationRoundTrips(project, current, {
      seed: ['INSERT INTO orders (id, price) VALUES (1, 5), (2, 7)'],
      afterUp: async (db) => {
        expect(await db.rows('SELECT id, amount FROM orders ORDER BY id')).toEqual([
          { id: 1, amount: 5 },
          { id: 2, amount: 7 },
        ])
        expect(await tableSql(db, 'orders')).toContain('CONSTRAINT "positive" CHECK(amount > 0)')
        await expect(db.client.execute('INSERT INTO orders (amount) VALUES (0)')).rejects.toThrow(/CHECK/)
      },
      afterDown: async (db) => {
        expect(await db.rows('SELECT id, price FROM orders ORDER BY id')).toEqual([
          { id: 1, price: 5 },
          { id: 2, price: 7 },
        ])
      },
    })
  })
})
