/**
 * Reading a live schema: what only the CREATE TABLE text says (CHECKs, collations, generated columns,
 * AUTOINCREMENT, constraint names, partial index conditions), and the same result whether the pragmas come
 * in four joined queries or one query per table (the path D1 takes, where the join is refused).
 */
import { readFile } from 'node:fs/promises'
import { createClient } from '@libsql/client'
import { describe, expect, test } from 'vitest'
import type { SqlRunner } from '../database/session.js'
import { parseCreateTable } from './create-table-sql.js'
import { readLiveSchema } from './live-schema.js'
import { diffSchemas, normalizeSql } from './schema-diff.js'

async function withSchema<T>(ddl: string, work: (runner: SqlRunner) => Promise<T>): Promise<T> {
  const client = createClient({ url: ':memory:' })
  try {
    await client.executeMultiple(ddl)
    return await work({ query: async (sql, args = []) => (await client.execute({ sql, args: [...args] })).rows })
  } finally {
    client.close()
  }
}

describe('parseCreateTable', () => {
  test('column and table constraints, quoted names, nested parentheses and strings with commas', () => {
    const parsed = parseCreateTable(`CREATE TABLE "order items" (
      [id] INTEGER PRIMARY KEY AUTOINCREMENT,
      "name" text COLLATE nocase CONSTRAINT name_not_blank CHECK (length(trim(name, ' ,')) > 0),
      price NUMERIC(10, 2) DEFAULT (0.0) CHECK(price >= 0),
      total real GENERATED ALWAYS AS (price * (1 + 0.2)) STORED,
      label text AS (upper(name)),
      owner_id integer,
      CONSTRAINT fk_owner FOREIGN KEY (owner_id) REFERENCES owners(id),
      CHECK (total < 1000000), -- a comment, with a comma
      "check" integer
    ) STRICT`)
    expect(
      parsed.columns.map((column) => [column.name, column.collation, column.generated, column.autoincrement]),
    ).toEqual([
      ['id', null, null, true],
      ['name', 'nocase', null, false],
      ['price', null, null, false],
      ['total', null, { as: 'price * (1 + 0.2)', mode: 'stored' }, false],
      ['label', null, { as: 'upper(name)', mode: 'virtual' }, false],
      ['owner_id', null, null, false],
      ['check', null, null, false],
    ])
    expect(parsed.checks).toEqual([
      { name: 'name_not_blank', expression: "length(trim(name, ' ,')) > 0", column: 'name' },
      { name: null, expression: 'price >= 0', column: 'price' },
      { name: null, expression: 'total < 1000000', column: null },
    ])
    expect(parsed.foreignKeyNames).toEqual([{ columns: ['owner_id'], name: 'fk_owner' }])
    expect(parsed.strict).toBe(true)
    expect(parsed.withoutRowid).toBe(false)
  })

  test('normalizeSql ignores quoting, case and spacing, not literals', () => {
    expect(normalizeSql('CREATE VIEW `v` AS select  a from "t" where b = \'X y\'')).toBe(
      normalizeSql("create view v as SELECT a FROM t WHERE b='X y';"),
    )
    expect(normalizeSql("SELECT 'a'")).not.toBe(normalizeSql("SELECT 'A'"))
  })
})

describe('readLiveSchema', () => {
  test('the per-table fallback reads the same schema as the joined queries', async () => {
    const ddl = await readFile(new URL('../pull/__fixtures__/northwind.sql', import.meta.url), 'utf8')
    await withSchema(ddl, async (runner) => {
      const bulk = await readLiveSchema(runner)
      const perTable = await readLiveSchema({
        query: (sql, args) => {
          if (sql.includes('FROM sqlite_master m,')) return Promise.reject(new Error('not authorized'))
          return runner.query(sql, args)
        },
      })
      expect(perTable).toEqual(bulk)
      expect(diffSchemas(bulk, perTable)).toEqual([])
      const products = bulk.tables.find((table) => table.name === 'Products')
      expect(products?.checks).toHaveLength(4)
      expect(products?.foreignKeys.map((key) => [key.columns, key.table, key.referencedColumns])).toEqual([
        [['CategoryID'], 'Categories', ['CategoryID']],
        [['SupplierID'], 'Suppliers', ['SupplierID']],
      ])
      expect(bulk.views.map((view) => view.name)).toContain('Order Subtotals')
    })
  })
})
