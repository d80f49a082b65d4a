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
  if (isWrittenCanonicallyByJson(value, [])) return `${JSON.stringify(value, null, 2)}\n`
  const writer = new CanonicalWriter()
  if (!writer.write(value, '')) throw new TypeError('canonicalJson: cannot serialise undefined at $')
  return `${writer.text}\n`
}

/**
 * True when `JSON.stringify(value, null, 2)` already writes the canonical text: every object is plain, with
 * its keys in sorted order and none starting with a digit (JSON.stringify would move integer-like keys
 * first), and nothing in it that JSON would change or drop from an array. A snapshot parsed back from its
 * file is like this, so checking its hash takes the native path; anything else goes to the writer below.
 */
function isWrittenCanonicallyByJson(value: unknown, ancestors: object[]): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true
    case 'number':
      return Number.isFinite(value)
    case 'object':
      break
    default:
      return false
  }
  if (value === null) return true
  if (ancestors.includes(value)) return false
  ancestors.push(value)
  const canonical = Array.isArray(value)
    ? Object.getPrototypeOf(value) === Array.prototype && itemsAreCanonical(value, ancestors)
    : isPlainObject(value) && entriesAreCanonical(value, ancestors)
  ancestors.pop()
  return canonical
}

function itemsAreCanonical(items: readonly unknown[], ancestors: object[]): boolean {
  // An indexed loop, not every(): every() skips holes, which JSON writes as null.
  for (let index = 0; index < items.length; index++) {
    if (!isWrittenCanonicallyByJson(items[index], ancestors)) return false
  }
  return true
}

function entriesAreCanonical(record: Record<string, unknown>, ancestors: object[]): boolean {
  let previous: string | undefined
  for (const key of Object.keys(record)) {
    if (previous !== undefined && !(previous < key)) return false
    const first = key.charCodeAt(0)
    if (first >= 48 && first <= 57) return false
    previous = key
    const item = record[key]
    // A key holding undefined is left out by JSON.stringify and by the writer alike.
    if (item !== undefined && !isWrittenCanonicallyByJson(item, ancestors)) return false
  }
  return true
}

/**
 * Appends to one string as it goes: every table of a repo is hashed on each generate, so this avoids a
 * part array per container and a path string per value (the path is kept as segments and only turned into
 * text for an error message).
 */
class CanonicalWriter {
  text = ''
  /** The containers being written, outermost first: one met again is a cycle. */
  private readonly ancestors: object[] = []
  /** Keys and indexes leading to the value being written. */
  private readonly path: (string | number)[] = []

  /** Appends the text of `value`; false, appending nothing, for `undefined`. */
  write(value: unknown, indent: string): boolean {
    if (value === null) {
      this.text += 'null'
      return true
    }
    switch (typeof value) {
      case 'string':
        this.text += JSON.stringify(value)
        return true
      case 'boolean':
        this.text += value ? 'true' : 'false'
        return true
      case 'number':
        if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} at ${this.where()} is not valid JSON`)
        this.text += JSON.stringify(value)
        return true
      case 'undefined':
        return false
      case 'object':
        this.writeContainer(value, indent)
        return true
      default:
        throw new TypeError(`canonicalJson: cannot serialise a ${typeof value} at ${this.where()}`)
    }
  }

  private writeContainer(value: object, indent: string): void {
    if (this.ancestors.includes(value)) throw new TypeError(`canonicalJson: circular reference at ${this.where()}`)
    this.ancestors.push(value)
    if (Array.isArray(value)) this.writeArray(value, indent)
    else if (isPlainObject(value)) this.writeObject(value, indent)
    else {
      throw new TypeError(
        `canonicalJson: ${value.constructor?.name ?? 'object'} at ${this.where()} is not a plain object`,
      )
    }
    this.ancestors.pop()
  }

  private writeArray(items: readonly unknown[], indent: string): void {
    if (items.length === 0) {
      this.text += '[]'
      return
    }
    const inner = indent + INDENT
    this.text += '[\n'
    for (let index = 0; index < items.length; index++) {
      this.path.push(index)
      if (index > 0) this.text += ',\n'
      this.text += inner
      if (!this.write(items[index], inner)) {
        throw new TypeError(`canonicalJson: undefined at ${this.where()} is not valid JSON`)
      }
      this.path.pop()
    }
    this.text += `\n${indent}]`
  }

  private writeObject(record: Record<string, unknown>, indent: string): void {
    const inner = indent + INDENT
    let empty = true
    for (const key of Object.keys(record).sort()) {
      const item = record[key]
      if (item === undefined) continue
      this.text += `${empty ? '{\n' : ',\n'}${inner}${JSON.stringify(key)}: `
      empty = false
      this.path.push(key)
      this.write(item, inner)
      this.path.pop()
    }
    this.text += empty ? '{}' : `\n${indent}}`
  }

  private where(): string {
    return `$${this.path.map((segment) => (typeof segment === 'number' ? `[${segment}]` : `.${segment}`)).join('')}`
  }
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}
