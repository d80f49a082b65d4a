import { describe, expect, test } from 'vitest'
import { snapshotPath } from './snapshot-path.js'

describe('snapshotPath', () => {
  test('is <repo>/<table>/<timestamp>.json with posix separators', () => {
    expect(snapshotPath('main', 'users', '20240101000000')).toBe('main/users/20240101000000.json')
  })

  test.each([
    ['', 'users', '20240101000000', 'repo name "" cannot be a folder name'],
    ['main', 'a/b', '20240101000000', 'table name "a/b" cannot be a folder name'],
    ['main', 'a\\b', '20240101000000', 'table name "a\\\\b" cannot be a folder name'],
    ['..', 'users', '20240101000000', 'repo name ".." cannot be a folder name'],
    ['main', '.hidden', '20240101000000', 'table name ".hidden" cannot be a folder name'],
    ['main', 'users', '2024', '"2024" is not a YYYYMMDDHHMMSS UTC timestamp'],
  ])('refuses repo %j, table %j, timestamp %j', (repo, table, timestamp, problem) => {
    expect(() => snapshotPath(repo, table, timestamp)).toThrow(problem)
  })
})
