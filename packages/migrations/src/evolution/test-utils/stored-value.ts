/**
 * Values as SQLite stores them (storage class + value), and what a table rebuild's `INSERT ... SELECT` does to
 * them when the column's type or the table's STRICT flag changed. The model predicts every cell with these
 * rules, so they are kept exact for the values the evolution tests generate (see `valueFromSeed`).
 */
import type { ColumnType } from './schema-model.js'

export type StoredValue =
  | { readonly class: 'null' }
  | { readonly class: 'text'; readonly value: string }
  | { readonly class: 'integer'; readonly value: number }
  | { readonly class: 'real'; readonly value: number }
  /** Lower-case hex of the bytes. */
  | { readonly class: 'blob'; readonly value: string }

export const NULL_VALUE: StoredValue = { class: 'null' }

/** SQLite's column affinity of each DSL type (the declared types are text, integer, real and blob). */
export type Affinity = 'text' | 'integer' | 'real' | 'blob'

const AFFINITY: Readonly<Record<ColumnType, Affinity>> = {
  string: 'text',
  ciString: 'text',
  integer: 'integer',
  boolean: 'integer',
  float: 'real',
  binary: 'blob',
}

export function affinityOf(type: ColumnType): Affinity {
  return AFFINITY[type]
}

/** A value that a STRICT column refuses (SQLITE_CONSTRAINT_DATATYPE). */
export const REFUSED = 'refused'

/**
 * What a value becomes when it is written into a column of `type` (an `INSERT ... SELECT` copy or an insert),
 * following SQLite's affinity rules, or `REFUSED` when a STRICT table rejects it. Idempotent, so it can be
 * applied after every step whether or not the table was rebuilt.
 */
export function storeAs(value: StoredValue, type: ColumnType, strict: boolean): StoredValue | typeof REFUSED {
  if (value.class === 'null') return value
  const affinity = affinityOf(type)
  const converted = convert(value, affinity)
  if (strict && converted.class !== affinity) return REFUSED
  return converted
}

function convert(value: Exclude<StoredValue, { class: 'null' }>, affinity: Affinity): StoredValue {
  switch (affinity) {
    case 'text':
      if (value.class === 'integer') return { class: 'text', value: String(value.value) }
      if (value.class === 'real') return { class: 'text', value: realText(value.value) }
      return value
    case 'integer': {
      const numeric = numericValue(value)
      if (numeric === null) return value
      return Number.isInteger(numeric.value) ? { class: 'integer', value: numeric.value } : numeric
    }
    case 'real': {
      const numeric = numericValue(value)
      return numeric === null ? value : { class: 'real', value: numeric.value }
    }
    case 'blob':
      return value
  }
}

/** SQLite prints a REAL with an integral value with `.0`; the generated reals are otherwise short decimals. */
function realText(value: number): string {
  return Number.isInteger(value) ? `${value}.0` : String(value)
}

/** The number a numeric affinity sees in a value, or null when it leaves the value alone. */
function numericValue(
  value: Exclude<StoredValue, { class: 'null' }>,
): { class: 'integer' | 'real'; value: number } | null {
  if (value.class === 'integer' || value.class === 'real') return value
  return value.class === 'text' ? numericText(value.value) : null
}

/** A text that SQLite's numeric affinities turn into a number (only the shapes `valueFromSeed` produces). */
function numericText(text: string): { class: 'integer' | 'real'; value: number } | null {
  if (/^-?(0|[1-9][0-9]*)$/.test(text)) return { class: 'integer', value: Number(text) }
  if (/^-?(0|[1-9][0-9]*)\.[0-9]+$/.test(text)) return { class: 'real', value: Number(text) }
  return null
}

/**
 * True when two values are the same key for a unique index: integers and reals compare numerically, texts
 * exactly (NOCASE for `text COLLATE NOCASE` columns), NULLs never.
 */
export function sameKey(left: StoredValue, right: StoredValue, nocase: boolean): boolean {
  if (left.class === 'null' || right.class === 'null') return false
  const numeric = (value: StoredValue) => value.class === 'integer' || value.class === 'real'
  if (numeric(left) && numeric(right)) return left.value === right.value
  if (left.class !== right.class) return false
  if (left.class === 'text' && nocase) return left.value.toLowerCase() === String(right.value).toLowerCase()
  return left.value === right.value
}

/**
 * A value of `type` picked by `seed` (a natural number): small, deterministic, and shrinking towards simple
 * values as the seed shrinks to 0. Texts include number-like ones (`'42'`, `'-3.5'`) so that type changes
 * exercise SQLite's conversions; reals are never integral (their text form is then unambiguous).
 */
export function valueFromSeed(type: ColumnType, seed: number): StoredValue {
  switch (type) {
    case 'string':
    case 'ciString':
      return { class: 'text', value: textFromSeed(seed) }
    case 'integer':
      return { class: 'integer', value: (seed % 2001) - 1000 }
    case 'boolean':
      return { class: 'integer', value: seed % 2 }
    case 'float':
      return { class: 'real', value: (seed % 401) - 200 + 0.5 }
    case 'binary':
      return { class: 'blob', value: blobFromSeed(seed) }
  }
}

function textFromSeed(seed: number): string {
  const shape = seed % 10
  const rest = Math.floor(seed / 10)
  if (shape === 7) return String((rest % 201) - 100)
  if (shape === 8) return `${(rest % 41) - 20}.5`
  if (shape === 9) return ''
  let word = ''
  let remaining = rest
  do {
    word += String.fromCharCode(97 + (remaining % 26))
    remaining = Math.floor(remaining / 26)
  } while (remaining > 0 && word.length < 4)
  return word
}

function blobFromSeed(seed: number): string {
  const length = 1 + (seed % 3)
  let hex = ''
  for (let index = 0; index < length; index++) {
    hex += ((Math.floor(seed / 3) + index * 97) % 256).toString(16).padStart(2, '0')
  }
  return hex
}

/**
 * A value bound as a statement argument. @libsql/client binds every JS number as a REAL and a bigint as an
 * INTEGER; a column's affinity may convert either, but a BLOB-affinity column keeps what it is given.
 */
export function toArgument(value: StoredValue): string | number | bigint | Uint8Array | null {
  switch (value.class) {
    case 'null':
      return null
    case 'blob':
      return Uint8Array.from(Buffer.from(value.value, 'hex'))
    case 'integer':
      return BigInt(value.value)
    default:
      return value.value
  }
}

/** A cell read back with `typeof(column)` next to its value. */
export function fromDatabase(typeName: unknown, value: unknown): StoredValue {
  switch (typeName) {
    case 'null':
      return NULL_VALUE
    case 'text':
      return { class: 'text', value: String(value) }
    case 'integer':
      return { class: 'integer', value: Number(value) }
    case 'real':
      return { class: 'real', value: Number(value) }
    case 'blob':
      return { class: 'blob', value: Buffer.from(value as ArrayBuffer).toString('hex') }
    default:
      throw new Error(`unexpected storage class ${String(typeName)}`)
  }
}

/** Compact text for failure messages: `'abc'`, `42`, `2.5r`, `x'00ff'`, `null`. */
export function describeValue(value: StoredValue): string {
  switch (value.class) {
    case 'null':
      return 'null'
    case 'text':
      return `'${value.value}'`
    case 'integer':
      return String(value.value)
    case 'real':
      return `${value.value}r`
    case 'blob':
      return `x'${value.value}'`
  }
}
