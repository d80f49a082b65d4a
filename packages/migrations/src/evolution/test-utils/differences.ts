/**
 * Readable differences between two plain JSON-like values, one line per differing path. Property failures
 * travel through fast-check's report as a message, so the message itself must say what differs.
 */

export function differences(expected: unknown, actual: unknown, path = ''): string[] {
  if (isRecord(expected) && isRecord(actual)) {
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort()
    return keys.flatMap((key) => {
      const at = path === '' ? key : `${path}.${key}`
      if (!(key in actual)) return [`${at}: missing (expected ${show(expected[key])})`]
      if (!(key in expected)) return [`${at}: unexpected ${show(actual[key])}`]
      return differences(expected[key], actual[key], at)
    })
  }
  return show(expected) === show(actual)
    ? []
    : [`${path || '(value)'}: expected ${show(expected)}, got ${show(actual)}`]
}

/** Throws when the values differ, listing every difference under `what`. */
export function assertSame(actual: unknown, expected: unknown, what: string): void {
  const found = differences(expected, actual)
  if (found.length > 0) throw new Error(`${what} differs from the model:\n  ${found.join('\n  ')}`)
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function show(value: unknown): string {
  return JSON.stringify(value) ?? 'undefined'
}
