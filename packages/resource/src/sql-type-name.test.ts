import { describe, expect, test } from 'vitest'
import { canonicalSqlType, isStrictCompatible } from './sql-type-name.js'

describe('canonicalSqlType', () => {
  test.each([
    ['TEXT', 'text'],
    [' integer ', 'integer'],
    ['NUMERIC( 10 , 2 )', 'numeric(10,2)'],
    ['varchar(255)', 'varchar(255)'],
    ['double   precision', 'double precision'],
    ['text collate nocase', 'text COLLATE NOCASE'],
    ['TEXT COLLATE rtrim', 'text COLLATE RTRIM'],
  ])('%j -> %j', (input, expected) => {
    expect(canonicalSqlType(input)).toBe(expected)
  })

  test.each([
    "text DEFAULT 'x'",
    'text; DROP TABLE users',
    'text COLLATE "x"',
    'numeric(a)',
    'text COLLATE a COLLATE b',
    '',
    '(10)',
    'text -- comment',
  ])('%j is rejected', (input) => {
    expect(canonicalSqlType(input)).toBeNull()
  })
})

describe('isStrictCompatible', () => {
  test('STRICT tables accept int, integer, real, text, blob and any, with any collation', () => {
    for (const type of ['int', 'integer', 'real', 'text', 'blob', 'any', 'text COLLATE NOCASE'])
      expect(isStrictCompatible(type)).toBe(true)
    for (const type of ['varchar(20)', 'numeric', 'boolean', 'double precision'])
      expect(isStrictCompatible(type)).toBe(false)
  })
})
