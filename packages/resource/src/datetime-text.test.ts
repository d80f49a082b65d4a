import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { formatDatetime, parseDatetime } from './datetime-text.js'

const date = new Date('2024-01-02T03:04:05.678Z')

describe('formatDatetime', () => {
  test('as AshSqlite stores each type', () => {
    expect(formatDatetime(date, 'utcDatetime')).toBe('2024-01-02T03:04:05Z')
    expect(formatDatetime(date, 'utcDatetimeUsec')).toBe('2024-01-02T03:04:05.678000Z')
    expect(formatDatetime(date, 'naiveDatetime')).toBe('2024-01-02T03:04:05')
  })
})

describe('parseDatetime', () => {
  test.each([
    ['2024-01-02T03:04:05Z', '2024-01-02T03:04:05.000Z'],
    ['2024-01-02T03:04:05.678000Z', '2024-01-02T03:04:05.678Z'],
    ['2024-01-02T03:04:05.678999Z', '2024-01-02T03:04:05.678Z'],
    ['2024-01-02T03:04:05', '2024-01-02T03:04:05.000Z'],
    ['2024-01-02 03:04:05', '2024-01-02T03:04:05.000Z'],
    ['2024-01-02 03:04', '2024-01-02T03:04:00.000Z'],
    ['2024-01-02T05:04:05+02:00', '2024-01-02T03:04:05.000Z'],
    ['2024-01-01T23:04:05-0400', '2024-01-02T03:04:05.000Z'],
    ['0099-01-02T03:04:05Z', '0099-01-02T03:04:05.000Z'],
  ])('%s', (text, iso) => {
    expect(parseDatetime(text).toISOString()).toBe(iso)
  })

  test('round-trips every format at its precision', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }),
        (value) => {
          const seconds = new Date(Math.floor(value.getTime() / 1000) * 1000)
          expect(parseDatetime(formatDatetime(value, 'utcDatetimeUsec'))).toEqual(value)
          expect(parseDatetime(formatDatetime(value, 'utcDatetime'))).toEqual(seconds)
          expect(parseDatetime(formatDatetime(value, 'naiveDatetime'))).toEqual(seconds)
        },
      ),
    )
  })
})
