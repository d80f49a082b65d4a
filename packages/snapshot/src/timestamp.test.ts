import { describe, expect, test } from 'vitest'
import { formatTimestamp, isTimestamp, nextTimestamp, parseTimestamp, timestampPrefix } from './timestamp.js'

const at = (iso: string) => new Date(iso)

describe('formatTimestamp', () => {
  test('is the UTC time as YYYYMMDDHHMMSS, whatever the milliseconds', () => {
    expect(formatTimestamp(at('2024-03-05T07:08:09.999Z'))).toBe('20240305070809')
    expect(formatTimestamp(at('2024-03-05T23:30:00+02:00'))).toBe('20240305213000')
  })

  test('refuses an invalid Date', () => {
    expect(() => formatTimestamp(new Date('nope'))).toThrow(RangeError)
  })
})

describe('isTimestamp / parseTimestamp / timestampPrefix', () => {
  test('accepts only real UTC times', () => {
    expect(isTimestamp('20240229235959')).toBe(true)
    expect(isTimestamp('20230229000000')).toBe(false)
    expect(isTimestamp('20241301000000')).toBe(false)
    expect(isTimestamp('20240101240000')).toBe(false)
    expect(isTimestamp('2024010100000')).toBe(false)
    expect(isTimestamp('2024010100000a')).toBe(false)
  })

  test('parses back to the same instant', () => {
    expect(parseTimestamp('20240229235959').toISOString()).toBe('2024-02-29T23:59:59.000Z')
    expect(parseTimestamp('00500101000000').toISOString()).toBe('0050-01-01T00:00:00.000Z')
    expect(() => parseTimestamp('20230229000000')).toThrow('"20230229000000" is not a YYYYMMDDHHMMSS UTC timestamp')
  })

  test('finds the timestamp a migration folder or snapshot file starts with', () => {
    expect(timestampPrefix('20240101000000_add_users')).toBe('20240101000000')
    expect(timestampPrefix('20240101000000.json')).toBe('20240101000000')
    expect(timestampPrefix('20240101000000')).toBe('20240101000000')
    expect(timestampPrefix('202401010000001_x')).toBeNull()
    expect(timestampPrefix('20241301000000_x')).toBeNull()
    expect(timestampPrefix('readme.md')).toBeNull()
  })
})

describe('nextTimestamp', () => {
  test('is now when nothing exists or everything is older', () => {
    const now = at('2024-06-01T12:00:00Z')
    expect(nextTimestamp([], now)).toBe('20240601120000')
    expect(nextTimestamp(['20240601115959', '20230101000000'], now)).toBe('20240601120000')
  })

  test.each([
    ['seconds into minutes', '20240601120059', '20240601120100'],
    ['minutes into hours', '20240601125959', '20240601130000'],
    ['hours into days', '20240601235959', '20240602000000'],
    ['end of a 30-day month', '20240630235959', '20240701000000'],
    ['end of a 31-day month', '20240131235959', '20240201000000'],
    ['into a leap day', '20240228235959', '20240229000000'],
    ['out of a leap day', '20240229235959', '20240301000000'],
    ['end of February in a common year', '20230228235959', '20230301000000'],
    ['end of February in 2100 (not a leap year)', '21000228235959', '21000301000000'],
    ['end of the year', '20241231235959', '20250101000000'],
  ])('when now is not later than the newest, it is one second after it, carrying %s', (_, latest, expected) => {
    const sameSecond = parseTimestamp(latest)
    expect(nextTimestamp([latest], sameSecond)).toBe(expected)
    // A clock that went back behaves the same.
    expect(nextTimestamp([latest, '20000101000000'], at('2001-01-01T00:00:00Z'))).toBe(expected)
  })

  test('runs within one second still get strictly increasing timestamps', () => {
    const now = at('2024-06-01T12:00:00.250Z')
    const taken: string[] = []
    for (let run = 0; run < 5; run++) taken.push(nextTimestamp(taken, now))
    expect(taken).toEqual(['20240601120000', '20240601120001', '20240601120002', '20240601120003', '20240601120004'])
  })

  test('refuses a malformed existing timestamp', () => {
    expect(() => nextTimestamp(['20240101000000_x'])).toThrow('"20240101000000_x" is not a YYYYMMDDHHMMSS timestamp')
  })
})
