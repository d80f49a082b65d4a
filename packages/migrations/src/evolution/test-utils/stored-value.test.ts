import { join } from 'node:path'
import { type Client, createClient } from '@libsql/client'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createTempDir, type TempDir } from '../../test-utils/migration-fixtures.js'
import { COLUMN_TYPES, type ColumnType } from './schema-model.js'
import {
  affinityOf,
  describeValue,
  fromDatabase,
  REFUSED,
  type StoredValue,
  sameKey,
  storeAs,
  toArgument,
  valueFromSeed,
} from './stored-value.js'

const SQL_TYPE: Record<ColumnType, string> = {
  string: 'text',
  ciString: 'text COLLATE NOCASE',
  integer: 'integer',
  boolean: 'integer',
  float: 'real',
  binary: 'blob',
}

// Seeds covering every shape valueFromSeed produces (texts: words, integers, decimals, empty).
const SEEDS = [0, 7, 8, 9, 17, 28, 1234, 9999]

let dir: TempDir
let client: Client
beforeAll(async () => {
  dir = await createTempDir('ash-sqlite-stored-value-')
  client = createClient({ url: `file:${join(dir.path, 'values.db')}` })
  // Hundreds of tiny tables: durability is not what this file tests.
  await client.execute('PRAGMA synchronous=OFF')
  await client.execute('PRAGMA journal_mode=MEMORY')
})
afterAll(async () => {
  client.close()
  await dir.remove()
})

/** What SQLite itself makes of `value` copied into a column of `type` (INSERT ... SELECT, as a rebuild does). */
async function copiedBySqlite(value: StoredValue, type: ColumnType, strict: boolean): Promise<StoredValue | 'refused'> {
  await client.execute('DROP TABLE IF EXISTS source')
  await client.execute('DROP TABLE IF EXISTS target')
  // A BLOB-affinity source keeps the value exactly as bound.
  await client.execute('CREATE TABLE source (v blob)')
  await client.execute({ sql: 'INSERT INTO source VALUES (?)', args: [toArgument(value)] })
  await client.execute(`CREATE TABLE target (v ${SQL_TYPE[type]})${strict ? ' STRICT' : ''}`)
  try {
    await client.execute('INSERT INTO target SELECT v FROM source')
  } catch (error) {
    if (/cannot store/i.test(String(error))) return REFUSED
    throw error
  }
  const row = (await client.execute('SELECT v, typeof(v) AS t FROM target')).rows[0]!
  return fromDatabase(row.t, row.v)
}

test('toArgument binds each value with its own storage class', async () => {
  const values: StoredValue[] = [
    { class: 'integer', value: -3 },
    { class: 'real', value: 7 },
    { class: 'text', value: '42' },
    { class: 'blob', value: '00ff' },
    { class: 'null' },
  ]
  await client.execute('DROP TABLE IF EXISTS bound')
  await client.execute('CREATE TABLE bound (v blob)')
  for (const value of values) await client.execute({ sql: 'INSERT INTO bound VALUES (?)', args: [toArgument(value)] })
  const rows = (await client.execute('SELECT v, typeof(v) AS t FROM bound ORDER BY rowid')).rows
  expect(rows.map((row) => fromDatabase(row.t, row.v))).toEqual(values)
})

describe('storeAs predicts what SQLite does to a copied value', () => {
  for (const from of COLUMN_TYPES) {
    for (const to of COLUMN_TYPES) {
      for (const strict of [false, true]) {
        test(`${from} -> ${to}${strict ? ' STRICT' : ''}`, async () => {
          for (const seed of SEEDS) {
            const value = valueFromSeed(from, seed)
            const predicted = storeAs(value, to, strict)
            const actual = await copiedBySqlite(value, to, strict)
            const show = (result: StoredValue | 'refused') => (result === REFUSED ? result : describeValue(result))
            expect(show(predicted), `${describeValue(value)} into ${to}`).toBe(show(actual))
          }
        })
      }
    }
  }

  test('a REAL with an integral value becomes text with .0, as SQLite prints it', async () => {
    const real: StoredValue = { class: 'real', value: 7 }
    expect(storeAs(real, 'string', false)).toEqual({ class: 'text', value: '7.0' })
    expect(await copiedBySqlite(real, 'string', false)).toEqual({ class: 'text', value: '7.0' })
  })

  test('NULL stays NULL everywhere', () => {
    for (const type of COLUMN_TYPES) expect(storeAs({ class: 'null' }, type, true)).toEqual({ class: 'null' })
  })
})

test('the affinity of each DSL type', () => {
  expect(COLUMN_TYPES.map(affinityOf)).toEqual(['text', 'text', 'integer', 'real', 'integer', 'blob'])
})

test('sameKey compares as a unique index does', () => {
  expect(sameKey({ class: 'integer', value: 3 }, { class: 'real', value: 3 }, false)).toBe(true)
  expect(sameKey({ class: 'text', value: '3' }, { class: 'integer', value: 3 }, false)).toBe(false)
  expect(sameKey({ class: 'text', value: 'Ab' }, { class: 'text', value: 'aB' }, true)).toBe(true)
  expect(sameKey({ class: 'text', value: 'Ab' }, { class: 'text', value: 'aB' }, false)).toBe(false)
  expect(sameKey({ class: 'null' }, { class: 'null' }, false)).toBe(false)
  expect(sameKey({ class: 'blob', value: '00' }, { class: 'blob', value: '00' }, false)).toBe(true)
})
