/**
 * Timestamps name snapshot files and migration folders: UTC `YYYYMMDDHHMMSS`, so that sorting names sorts them
 * by time. They must strictly increase per repo, including for two runs within one second.
 */

const TIMESTAMP_PATTERN = /^\d{14}$/
const TIMESTAMP_PREFIX_PATTERN = /^(\d{14})(?:[^\d]|$)/

/** UTC `YYYYMMDDHHMMSS` of a Date. */
export function formatTimestamp(date: Date): string {
  const time = date.getTime()
  if (Number.isNaN(time)) throw new RangeError('formatTimestamp: invalid Date')
  const year = date.getUTCFullYear()
  if (year < 0 || year > 9999) throw new RangeError(`formatTimestamp: year ${year} does not fit in 4 digits`)
  return (
    pad(year, 4) +
    pad(date.getUTCMonth() + 1, 2) +
    pad(date.getUTCDate(), 2) +
    pad(date.getUTCHours(), 2) +
    pad(date.getUTCMinutes(), 2) +
    pad(date.getUTCSeconds(), 2)
  )
}

/** Whether `text` is exactly a `YYYYMMDDHHMMSS` timestamp of a real UTC time (no 13th month, no Feb 30). */
export function isTimestamp(text: string): boolean {
  return TIMESTAMP_PATTERN.test(text) && formatTimestamp(dateOf(text)) === text
}

/** The Date of a timestamp. Throws a RangeError for anything `isTimestamp` rejects. */
export function parseTimestamp(timestamp: string): Date {
  if (!isTimestamp(timestamp)) throw new RangeError(`"${timestamp}" is not a YYYYMMDDHHMMSS UTC timestamp`)
  return dateOf(timestamp)
}

/**
 * The timestamp a name starts with (`20240102030405_add_users` or `20240102030405.json` -> `20240102030405`),
 * or null when it does not start with a valid one.
 */
export function timestampPrefix(name: string): string | null {
  const match = TIMESTAMP_PREFIX_PATTERN.exec(name)
  const timestamp = match?.[1]
  return timestamp !== undefined && isTimestamp(timestamp) ? timestamp : null
}

/**
 * The timestamp for something written now: `now` itself when it is later than every `existing` timestamp,
 * otherwise one second after the latest (the clock went back, or another run wrote in this same second).
 */
export function nextTimestamp(existing: Iterable<string>, now: Date = new Date()): string {
  let latest: string | undefined
  for (const timestamp of existing) {
    if (!isTimestamp(timestamp)) throw new RangeError(`nextTimestamp: "${timestamp}" is not a YYYYMMDDHHMMSS timestamp`)
    if (latest === undefined || timestamp > latest) latest = timestamp
  }
  const candidate = formatTimestamp(now)
  if (latest === undefined || candidate > latest) return candidate
  return formatTimestamp(new Date(dateOf(latest).getTime() + 1000))
}

function dateOf(timestamp: string): Date {
  const part = (start: number, length: number) => Number(timestamp.slice(start, start + length))
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 1900-1999.
  const date = new Date(0)
  date.setUTCFullYear(part(0, 4), part(4, 2) - 1, part(6, 2))
  date.setUTCHours(part(8, 2), part(10, 2), part(12, 2), 0)
  return date
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0')
}
