import { describe, expect, test } from 'vitest'
import { isPlainIdentifier, isReservedName, snakeCase } from './identifiers.js'

describe('snakeCase', () => {
  test.each([
    ['fullName', 'full_name'],
    ['full_name', 'full_name'],
    ['id', 'id'],
    ['authorId', 'author_id'],
    ['userID', 'user_id'],
    ['HTTPServer', 'http_server'],
    ['address2Line', 'address2_line'],
    ['insertedAt', 'inserted_at'],
    ['uniqueEmail', 'unique_email'],
    ['ABC', 'abc'],
  ])('%s -> %s', (input, expected) => {
    expect(snakeCase(input)).toBe(expected)
  })
})

describe('plain identifiers', () => {
  test.each(['users', '_private', 'Users2', 'a'])('%s is plain', (name) => {
    expect(isPlainIdentifier(name)).toBe(true)
  })

  test.each(['', '2users', 'user name', 'users;', 'üsers', '"users"', 'a-b', 'a.b', "o'neil"])('%j is not', (name) => {
    expect(isPlainIdentifier(name)).toBe(false)
  })

  test('non-strings are not identifiers', () => {
    expect(isPlainIdentifier(undefined)).toBe(false)
    expect(isPlainIdentifier(12)).toBe(false)
  })

  test('sqlite_ names are reserved', () => {
    expect(isReservedName('sqlite_master')).toBe(true)
    expect(isReservedName('SQLite_stat1')).toBe(true)
    expect(isReservedName('my_sqlite_table')).toBe(false)
  })
})
