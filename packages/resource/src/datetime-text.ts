/**
 * Date-times are stored as ISO-8601 text, as AshSqlite stores them, so rows stay readable in any SQLite
 * tool and sort correctly as text. Reading accepts every ISO-8601 shape SQLite itself produces
 * (`CURRENT_TIMESTAMP` writes `2024-01-02 03:04:05`), so database defaults round-trip too.
 */

export type DatetimeFormat = 'utcDatetime' | 'utcDatetimeUsec' | 'naiveDatetime'

/** `2024-01-02T03:04:05Z` (seconds), `2024-01-02T03:04:05.678000Z` (microseconds), `2024-01-02T03:04:05` (naive, UTC). */
export function formatDatetime(date: Date, format: DatetimeFormat): string {
  const iso = date.toISOString() // 2024-01-02T03:04:05.678Z
  const seconds = iso.slice(0, 19)
  switch (format) {
    case 'utcDatetime':
      return `${seconds}Z`
    case 'utcDatetimeUsec':
      return `${seconds}.${iso.slice(20, 23)}000Z`
    case 'naiveDatetime':
      return seconds
  }
}

const ISO_DATETIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i

/** Parses stored text back into a Date. Text without a zone is UTC (naive date-times are UTC by convention). */
export function parseDatetime(text: string): Date {
  const match = ISO_DATETIME.exec(text.trim())
  if (!match) return new Date(text)
  const [, year, month, day, hour, minute, second = '0', fraction = '', zone = 'Z'] = match
  const milliseconds = Number(fraction.padEnd(3, '0').slice(0, 3))
  const date = new Date(0)
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 1900-1999.
  date.setUTCFullYear(Number(year), Number(month) - 1, Number(day))
  date.setUTCHours(Number(hour), Number(minute) - zoneOffsetMinutes(zone), Number(second), milliseconds)
  return date
}

function zoneOffsetMinutes(zone: string): number {
  if (zone.toUpperCase() === 'Z') return 0
  const sign = zone.startsWith('-') ? -1 : 1
  const digits = zone.slice(1).replace(':', '')
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)))
}
