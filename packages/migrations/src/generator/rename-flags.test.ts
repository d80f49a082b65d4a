import { describe, expect, test } from 'vitest'
import { UsageError } from '../errors.js'
import { parseRenameFlag, renameFlagText } from './rename-flags.js'

describe('parseRenameFlag', () => {
  test('reads a column rename as table.old=new', () => {
    expect(parseRenameFlag('users.name=full_name', 'column')).toEqual({
      kind: 'column',
      table: 'users',
      from: 'name',
      to: 'full_name',
    })
  })

  test('reads a table rename as old=new', () => {
    expect(parseRenameFlag(' users=accounts ', 'table')).toEqual({ kind: 'table', from: 'users', to: 'accounts' })
  })

  test.each([
    ['name=full_name', 'column', '--rename "name=full_name": expected table.old=new'],
    ['users.name', 'column', 'expected table.old=new'],
    ['a.b.c=d', 'column', 'expected table.old=new'],
    ['users.na-me=full_name', 'column', '"na-me" is not a plain table or column name'],
    ['users.accounts', 'table', '--rename-table "users.accounts": expected old=new'],
    ['=accounts', 'table', 'expected old=new'],
    ['users=1accounts', 'table', '"1accounts" is not a plain table or column name'],
  ] as const)('rejects %j (%s) with a usage error', (value, kind, message) => {
    const error = (() => {
      try {
        parseRenameFlag(value, kind)
      } catch (caught) {
        return caught
      }
      throw new Error('expected an error')
    })()
    expect(error).toBeInstanceOf(UsageError)
    expect((error as UsageError).exitCode).toBe(2)
    expect((error as UsageError).message).toContain(message)
  })

  test('renameFlagText writes the flag back', () => {
    expect(renameFlagText(parseRenameFlag('users.name=full_name', 'column'))).toBe('--rename users.name=full_name')
    expect(renameFlagText(parseRenameFlag('users=accounts', 'table'))).toBe('--rename-table users=accounts')
  })
})
