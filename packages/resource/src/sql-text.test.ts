import { sql } from 'drizzle-orm'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { isSqlExpression, parenthesize, quoteBlob, quoteString, sqlExpressionText } from './sql-text.js'
import { openTempDatabase, type TempDatabase } from './test-utils/sqlite.js'

let database: TempDatabase
beforeAll(async () => {
  database = await openTempDatabase()
})
afterAll(async () => {
  await database.close()
})

describe('quoted literals', () => {
  test('single quotes are doubled', () => {
    expect(quoteString("it's")).toBe("'it''s'")
    expect(quoteString("'; DROP TABLE users; --")).toBe("'''; DROP TABLE users; --'")
  })

  test('SQLite reads every quoted string back unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'grapheme' }).filter((text) => !text.includes('\u0000')),
        async (text) => {
          const result = await database.client.execute(`SELECT ${quoteString(text)} AS value`)
          expect(result.rows[0]?.value).toBe(text)
        },
      ),
      { numRuns: 200 },
    )
  })

  test('SQLite reads every blob literal back unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 64 }), async (bytes) => {
        const result = await database.client.execute(`SELECT hex(${quoteBlob(bytes)}) AS value`)
        expect(result.rows[0]?.value).toBe(Buffer.from(bytes).toString('hex').toUpperCase())
      }),
      { numRuns: 100 },
    )
  })
})

describe('expressions', () => {
  test('drizzle sql is recognised and rendered with values inlined', () => {
    expect(isSqlExpression(sql`CURRENT_TIMESTAMP`)).toBe(true)
    expect(isSqlExpression('CURRENT_TIMESTAMP')).toBe(false)
    expect(isSqlExpression({ queryChunks: [] })).toBe(false)
    expect(sqlExpressionText(sql`coalesce(${"o'k"}, ${1})`)).toBe("coalesce('o''k', 1)")
    expect(sqlExpressionText(sql.raw('  random()  '))).toBe('random()')
  })

  test.each([
    ['CURRENT_TIMESTAMP', '(CURRENT_TIMESTAMP)'],
    ['(CURRENT_TIMESTAMP)', '(CURRENT_TIMESTAMP)'],
    ["(datetime('now'))", "(datetime('now'))"],
    ['(a) + (b)', '((a) + (b))'],
    ["(')')", "(')')"],
    ["('(') || ')'", "(('(') || ')')"],
    ['abs(random()) % 10', '(abs(random()) % 10)'],
  ])('parenthesize(%j) = %j', (input, expected) => {
    expect(parenthesize(input)).toBe(expected)
  })
})
