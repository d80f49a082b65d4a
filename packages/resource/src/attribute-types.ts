/**
 * The catalogue of attribute types: their names, the SQL type each one is stored as (AshSqlite's choices),
 * and how a literal default of each type is written as SQL. Types live here once; the DSL, the validation
 * and the Drizzle column builders all read this table.
 */
import { formatDatetime } from './datetime-text.js'
import { quoteBlob, quoteString } from './sql-text.js'

export const ATTRIBUTE_TYPES = [
  'string',
  'ciString',
  'integer',
  'bigint',
  'float',
  'decimal',
  'boolean',
  'uuid',
  'date',
  'time',
  'utcDatetime',
  'utcDatetimeUsec',
  'naiveDatetime',
  'json',
  'array',
  'binary',
  'enum',
] as const

export type AttributeType = (typeof ATTRIBUTE_TYPES)[number]

/** Types a `belongsTo` key can be declared as through `attributeType`. */
export type KeyAttributeType = Exclude<AttributeType, 'json' | 'array' | 'enum'>

export const KEY_ATTRIBUTE_TYPES: readonly KeyAttributeType[] = ATTRIBUTE_TYPES.filter(
  (type): type is KeyAttributeType => type !== 'json' && type !== 'array' && type !== 'enum',
)

/** Element types of `attr.array(of)`. Arrays are stored as JSON text, so elements are JSON values. */
export const ARRAY_ITEM_TYPES = [
  'string',
  'ciString',
  'uuid',
  'decimal',
  'date',
  'time',
  'integer',
  'float',
  'boolean',
  'json',
] as const

export type ArrayItemType = (typeof ARRAY_ITEM_TYPES)[number]

export function isAttributeType(value: unknown): value is AttributeType {
  return typeof value === 'string' && (ATTRIBUTE_TYPES as readonly string[]).includes(value)
}

export function isArrayItemType(value: unknown): value is ArrayItemType {
  return typeof value === 'string' && (ARRAY_ITEM_TYPES as readonly string[]).includes(value)
}

/** SQL type per attribute type, lower case as it goes in DDL. Date-times are ISO-8601 text like AshSqlite. */
export const SQL_TYPES: Readonly<Record<AttributeType, string>> = {
  string: 'text',
  ciString: 'text COLLATE NOCASE',
  integer: 'integer',
  bigint: 'integer',
  float: 'real',
  decimal: 'text',
  boolean: 'integer',
  uuid: 'text',
  date: 'text',
  time: 'text',
  utcDatetime: 'text',
  utcDatetimeUsec: 'text',
  naiveDatetime: 'text',
  json: 'text',
  array: 'text',
  binary: 'blob',
  enum: 'text',
}

/** A literal default rendered as SQL, or why the value does not fit the type. */
export type LiteralDefault = { sql: string } | { problem: string }

const DATE_TEXT = /^\d{4}-\d{2}-\d{2}$/
const TIME_TEXT = /^\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?$/

/**
 * Renders a literal default of an attribute type as SQL (`'member'`, `0`, `1` for true, `'{"a":1}'`).
 * `null` never reaches here: a null default means "no default".
 */
export function literalDefault(
  type: AttributeType,
  value: unknown,
  context: {
    enumValues?: readonly string[] | undefined
    itemType?: ArrayItemType | undefined
    storage?: 'unixepoch' | 'unixepochMs' | null | undefined
  },
): LiteralDefault {
  switch (type) {
    case 'string':
    case 'ciString':
    case 'uuid':
      return typeof value === 'string' ? { sql: quoteString(value) } : expected('a string', value)
    case 'decimal':
      if (typeof value === 'number' && Number.isFinite(value)) return { sql: quoteString(String(value)) }
      return typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)
        ? { sql: quoteString(value) }
        : expected('a decimal string such as "12.50" (or a finite number)', value)
    case 'date':
      return typeof value === 'string' && DATE_TEXT.test(value)
        ? { sql: quoteString(value) }
        : expected('a date string such as "2024-01-31"', value)
    case 'time':
      return typeof value === 'string' && TIME_TEXT.test(value)
        ? { sql: quoteString(value) }
        : expected('a time string such as "13:45:00"', value)
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value)
        ? { sql: String(value) }
        : expected('a safe integer', value)
    case 'bigint':
      if (typeof value === 'bigint')
        return BigInt.asIntN(64, value) === value ? { sql: String(value) } : expected('a 64-bit integer', value)
      return typeof value === 'number' && Number.isSafeInteger(value)
        ? { sql: String(value) }
        : expected('a bigint (or a safe integer number)', value)
    case 'float':
      return typeof value === 'number' && Number.isFinite(value)
        ? { sql: String(value) }
        : expected('a finite number', value)
    case 'boolean':
      return typeof value === 'boolean' ? { sql: value ? '1' : '0' } : expected('true or false', value)
    case 'utcDatetime':
    case 'utcDatetimeUsec':
    case 'naiveDatetime':
      if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
        return expected('a valid Date (or sql`CURRENT_TIMESTAMP` for "now")', value)
      }
      if (context.storage === 'unixepoch') return { sql: String(Math.floor(value.getTime() / 1000)) }
      if (context.storage === 'unixepochMs') return { sql: String(value.getTime()) }
      return value instanceof Date && !Number.isNaN(value.getTime())
        ? { sql: quoteString(formatDatetime(value, type)) }
        : expected('a valid Date (or sql`CURRENT_TIMESTAMP` for "now")', value)
    case 'json':
      return jsonDefault(value)
    case 'array':
      return Array.isArray(value) && value.every((item) => fitsArrayItem(item, context.itemType))
        ? jsonDefault(value)
        : expected(`an array of ${context.itemType ?? 'JSON'} values`, value)
    case 'binary':
      return value instanceof Uint8Array ? { sql: quoteBlob(value) } : expected('a Uint8Array (or Buffer)', value)
    case 'enum':
      return typeof value === 'string' && (context.enumValues ?? []).includes(value)
        ? { sql: quoteString(value) }
        : expected(`one of the enum values ${JSON.stringify(context.enumValues ?? [])}`, value)
  }
}

function jsonDefault(value: unknown): LiteralDefault {
  const text = safeJson(value)
  return text === undefined ? expected('a JSON value', value) : { sql: quoteString(text) }
}

function safeJson(value: unknown): string | undefined {
  try {
    return JSON.stringify(value)
  } catch {
    return undefined
  }
}

function fitsArrayItem(item: unknown, itemType: ArrayItemType | undefined): boolean {
  switch (itemType) {
    case 'integer':
      return typeof item === 'number' && Number.isSafeInteger(item)
    case 'float':
      return typeof item === 'number' && Number.isFinite(item)
    case 'boolean':
      return typeof item === 'boolean'
    case 'json':
    case undefined:
      return true
    default:
      return typeof item === 'string'
  }
}

function expected(what: string, value: unknown): LiteralDefault {
  return { problem: `must be ${what}, got ${describeValue(value)}` }
}

/** A short, safe rendering of a user value for error messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined'
  if (typeof value === 'function') return 'a function'
  if (typeof value === 'bigint') return `${value}n`
  if (value instanceof Date) return `Date(${Number.isNaN(value.getTime()) ? 'invalid' : value.toISOString()})`
  const json = safeJson(value)
  if (json === undefined) return typeof value
  return json.length > 60 ? `${json.slice(0, 57)}...` : json
}
