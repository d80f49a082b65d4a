import { describe, expect, it } from 'vitest'
import { isForeignKeysPragma } from './foreign-keys-pragma.js'

describe('isForeignKeysPragma', () => {
  it.each([
    'PRAGMA foreign_keys=OFF;',
    'PRAGMA foreign_keys=ON;',
    'pragma foreign_keys = off',
    'PRAGMA main.foreign_keys=0;',
    '-- drizzle-kit rebuild\nPRAGMA foreign_keys=OFF;',
  ])('skips %j', (statement) => {
    expect(isForeignKeysPragma(statement)).toBe(true)
  })

  it.each([
    'PRAGMA foreign_key_check;',
    'PRAGMA foreign_keys;',
    'PRAGMA defer_foreign_keys=ON;',
    'PRAGMA foreign_keys=OFF; DROP TABLE users;',
    "INSERT INTO notes VALUES ('PRAGMA foreign_keys=OFF')",
  ])('runs %j', (statement) => {
    expect(isForeignKeysPragma(statement)).toBe(false)
  })
})
