const INDENT = '  '

/**
 * Canonical JSON text: object keys sorted by UTF-16 code units at every depth (so the text does not depend on
 * the order keys were added in), arrays in their order, 2-space indent and a trailing newline.
 *
 * `JSON.stringify` cannot do this by re-inserting keys in order: integer-like keys ("10", "2") always come first
 * in ascending numeric order. So the text is written here. Keys whose value is `undefined` are left out, as JSON
 * does. Anything a JSON round trip would silently change (NaN, Infinity, `undefined` in an array, bigint,
 * functions, class instances such as Date, cycles) throws, because a state that reads back differently from
 * what was hashed would later look hand-edited.
 */
export function canonicalJson(value: unknown): string {
  const text = write(value, '', '$', new Set())
  if (text === undefined) throw new TypeError('canonicalJson: cannot serialise undefined at $')
  return `${text}\n`
}

function write(value: unknown, indent: string, where: string, ancestors: Set<object>): string | undefined {
  if (value === null) return 'null'
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value)
    case 'boolean':
      return value ? 'true' : 'false'
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} at ${where} is not valid JSON`)
      return JSON.stringify(value)
    case 'undefined':
      return undefined
    case 'object':
      return writeContainer(value, indent, where, ancestors)
    default:
      throw new TypeError(`canonicalJson: cannot serialise a ${typeof value} at ${where}`)
  }
}

function writeContainer(value: object, indent: string, where: string, ancestors: Set<object>): string {
  if (ancestors.has(value)) throw new TypeError(`canonicalJson: circular reference at ${where}`)
  ancestors.add(value)
  try {
    if (Array.isArray(value)) return writeArray(value, indent, where, ancestors)
    if (!isPlainObject(value)) {
      throw new TypeError(`canonicalJson: ${value.constructor?.name ?? 'object'} at ${where} is not a plain object`)
    }
    return writeObject(value, indent, where, ancestors)
  } finally {
    ancestors.delete(value)
  }
}

function writeArray(items: readonly unknown[], indent: string, where: string, ancestors: Set<object>): string {
  if (items.length === 0) return '[]'
  const inner = indent + INDENT
  const parts = items.map((item, index) => {
    const text = write(item, inner, `${where}[${index}]`, ancestors)
    if (text === undefined) throw new TypeError(`canonicalJson: undefined at ${where}[${index}] is not valid JSON`)
    return inner + text
  })
  return `[\n${parts.join(',\n')}\n${indent}]`
}

function writeObject(record: Record<string, unknown>, indent: string, where: string, ancestors: Set<object>): string {
  const inner = indent + INDENT
  const parts: string[] = []
  for (const key of Object.keys(record).sort()) {
    const text = write(record[key], inner, `${where}.${key}`, ancestors)
    if (text !== undefined) parts.push(`${inner}${JSON.stringify(key)}: ${text}`)
  }
  if (parts.length === 0) return '{}'
  return `{\n${parts.join(',\n')}\n${indent}}`
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}
