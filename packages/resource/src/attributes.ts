/**
 * `attr.*`: attribute definitions. A definition is plain data (type + the options as written); it is
 * validated when `defineResource` sees it, so errors can name the resource and attribute. The phantom
 * `~column` member carries the column's TypeScript types to `Resource.table`.
 */
import type { SQL } from 'drizzle-orm'
import type { ArrayItemType, AttributeType } from './attribute-types.js'
import type {
  ArrayItemTypeMap,
  ColumnTypeConfig,
  HasDefault,
  IsGenerated,
  IsNotNull,
  IsPrimaryKey,
  OptionsColumnConfig,
  PresetColumnConfig,
  ScalarTypeMap,
} from './column-types.js'

/** A generated column: `GENERATED ALWAYS AS (as) VIRTUAL|STORED`. */
export interface GeneratedOption {
  /** SQL expression over the table's columns (`sql\`upper(email)\`` or plain SQL text). */
  as: SQL | string
  /** Default `virtual`. */
  mode?: 'stored' | 'virtual'
}

/** Options every ordinary attribute takes. */
export interface AttributeOptions<TDefault> {
  /** Default true (false for primary keys). `false` makes the column NOT NULL and the property non-null. */
  allowNull?: boolean
  /** A literal of the attribute's type, or `sql\`...\`` for a database expression. `null` means no default. */
  default?: TDefault | SQL | null
  primaryKey?: boolean
  generated?: GeneratedOption
  /** Column name; default: the attribute key in snake_case. */
  source?: string
  /** The column's previous name, so the next migration renames instead of dropping and adding. */
  renamedFrom?: string
  description?: string
}

/** Options of the preset attributes (primary keys, timestamps), whose other traits are fixed. */
export interface PresetAttributeOptions {
  source?: string
  renamedFrom?: string
  description?: string
}

/**
 * How a Date-typed attribute is stored: `text` (default) is ISO-8601 text as AshSqlite writes it; `unixepoch`
 * is integer seconds (drizzle's `integer({ mode: 'timestamp' })`), `unixepochMs` integer milliseconds
 * (`mode: 'timestamp_ms'`).
 */
export type DatetimeStorage = 'text' | 'unixepoch' | 'unixepochMs'

/** Options of the Date-typed attributes (`utcDatetime`, `utcDatetimeUsec`, `naiveDatetime`). */
export interface DatetimeOptions extends AttributeOptions<Date> {
  storage?: DatetimeStorage
}

/** Options of `attr.enum`. */
export interface EnumOptions<TValue> extends AttributeOptions<TValue> {
  /** Enforce the values in the database too, with a CHECK constraint `<table>_<column>_enum`. Default false. */
  check?: boolean
}

/** Timestamps take an optional database default on top of their application-side "now". */
export interface TimestampOptions extends PresetAttributeOptions {
  default?: SQL | Date
  storage?: DatetimeStorage
}

export type AttributePreset =
  | 'uuidPrimaryKey'
  | 'uuidV7PrimaryKey'
  | 'integerPrimaryKey'
  | 'createTimestamp'
  | 'updateTimestamp'

/** An attribute definition as `attr.*` returns it. */
export interface Attribute<
  TType extends AttributeType = AttributeType,
  TColumn extends ColumnTypeConfig = ColumnTypeConfig,
> {
  readonly kind: 'attribute'
  readonly type: TType
  /** The options exactly as written (validated by `defineResource`). */
  readonly options: Readonly<Record<string, unknown>>
  /** `attr.enum` values. */
  readonly enumValues: readonly string[] | undefined
  /** `attr.array` element type. */
  readonly itemType: ArrayItemType | undefined
  readonly preset: AttributePreset | undefined
  /** Types only: never present at runtime. */
  readonly '~column'?: TColumn
}

export type AnyAttribute = Attribute<AttributeType, ColumnTypeConfig>

export type ScalarAttribute<TType extends keyof ScalarTypeMap, O> = Attribute<
  TType,
  OptionsColumnConfig<ScalarTypeMap[TType]['data'], ScalarTypeMap[TType]['dataType'], O>
>

export type ScalarBuilder<
  TType extends keyof ScalarTypeMap,
  TDefault = ScalarTypeMap[TType]['data'],
  TOptions extends AttributeOptions<TDefault> = AttributeOptions<TDefault>,
> = <const O extends TOptions>(options?: O) => ScalarAttribute<TType, O>

/** Either flag that makes a column non-null. */
export type NonNullFlag = { allowNull: false } | { primaryKey: true }

export type JsonAttribute<
  T,
  TNotNull extends boolean,
  THasDefault extends boolean,
  TGenerated extends boolean,
> = Attribute<
  'json',
  {
    data: T
    dataType: 'object json'
    notNull: TNotNull
    hasDefault: THasDefault
    primaryKey: false
    autoincrement: false
    runtimeDefault: false
    generated: TGenerated
    enumValues: undefined
  }
>

/** The default TypeScript type of `attr.json()` (Ash `map`). */
export type JsonObject = Record<string, unknown>

/**
 * `json<T>()` takes its value type explicitly, and TypeScript cannot infer an options type next to an
 * explicit type argument, so nullability and defaults are read through overloads instead.
 */
export interface JsonBuilder {
  <T = JsonObject>(
    options: AttributeOptions<T> & { generated: GeneratedOption } & NonNullFlag,
  ): JsonAttribute<NoInfer<T>, true, true, true>
  <T = JsonObject>(
    options: AttributeOptions<T> & { generated: GeneratedOption },
  ): JsonAttribute<NoInfer<T>, false, true, true>
  <T = JsonObject>(
    options: AttributeOptions<T> & { default: T | SQL } & NonNullFlag,
  ): JsonAttribute<NoInfer<T>, true, true, false>
  <T = JsonObject>(options: AttributeOptions<T> & { default: T | SQL }): JsonAttribute<NoInfer<T>, false, true, false>
  <T = JsonObject>(options: AttributeOptions<T> & NonNullFlag): JsonAttribute<NoInfer<T>, true, false, false>
  <T = JsonObject>(options?: AttributeOptions<T>): JsonAttribute<NoInfer<T>, false, false, false>
}

export type EnumAttribute<V extends readonly [string, ...string[]], O> = Attribute<
  'enum',
  {
    data: V[number]
    dataType: 'string enum'
    notNull: IsNotNull<O>
    hasDefault: HasDefault<O>
    primaryKey: IsPrimaryKey<O>
    autoincrement: false
    runtimeDefault: false
    generated: IsGenerated<O>
    enumValues: [...V]
  }
>

export type ArrayAttribute<K extends ArrayItemType, O> = Attribute<
  'array',
  OptionsColumnConfig<ArrayItemTypeMap[K][], 'object json', O>
>

export type TimestampAttribute = Attribute<'utcDatetimeUsec', PresetColumnConfig<Date, 'object date', false, false>>

/** The `attr` namespace. */
export interface AttributeBuilders {
  /** `text`. */
  string: ScalarBuilder<'string'>
  /** `text COLLATE NOCASE`: compared and indexed case-insensitively (Ash `ci_string`). */
  ciString: ScalarBuilder<'ciString'>
  /** `integer`, typed `number`. */
  integer: ScalarBuilder<'integer'>
  /**
   * `integer`, typed `bigint` (the full 64-bit range). Reading values beyond 2^53 needs a client that returns
   * integers as bigint (`createClient({ url, intMode: 'bigint' })`): libSQL's default number mode refuses them.
   */
  bigint: ScalarBuilder<'bigint', bigint | number>
  /** `real`, typed `number`. */
  float: ScalarBuilder<'float'>
  /** `text`, typed `string` so no precision is lost (`"12.50"`); a number default is accepted. */
  decimal: ScalarBuilder<'decimal', string | number>
  /** `integer` 0/1, typed `boolean`. */
  boolean: ScalarBuilder<'boolean'>
  /** `text`, typed `string`. */
  uuid: ScalarBuilder<'uuid'>
  /** `text` `YYYY-MM-DD`, typed `string`. */
  date: ScalarBuilder<'date'>
  /** `text` `HH:MM:SS`, typed `string`. */
  time: ScalarBuilder<'time'>
  /** `text` ISO-8601 with seconds (`2024-01-02T03:04:05Z`), typed `Date`. */
  utcDatetime: ScalarBuilder<'utcDatetime', Date, DatetimeOptions>
  /** `text` ISO-8601 with microseconds (`2024-01-02T03:04:05.678000Z`), typed `Date`. */
  utcDatetimeUsec: ScalarBuilder<'utcDatetimeUsec', Date, DatetimeOptions>
  /** `text` ISO-8601 without zone (`2024-01-02T03:04:05`, read as UTC), typed `Date`. */
  naiveDatetime: ScalarBuilder<'naiveDatetime', Date, DatetimeOptions>
  /** `blob`, typed `Uint8Array` (a `Buffer` on Node). */
  binary: ScalarBuilder<'binary'>
  /** JSON text typed `T` (Ash `map`; default `Record<string, unknown>`). */
  json: JsonBuilder
  /** JSON text holding an array of `of` values. */
  array<const K extends ArrayItemType, const O extends AttributeOptions<readonly ArrayItemTypeMap[K][]> = {}>(
    of: K,
    options?: O,
  ): ArrayAttribute<K, O>
  /** `text` restricted to the given values, typed as their union (Ash atom with `one_of`). */
  enum<const V extends readonly [string, ...string[]], const O extends EnumOptions<V[number]> = {}>(
    values: V,
    options?: O,
  ): EnumAttribute<V, O>
  /** `text` primary key; a random UUID is generated application-side (`crypto.randomUUID()`) on insert. */
  uuidPrimaryKey(
    options?: PresetAttributeOptions,
  ): Attribute<'uuid', PresetColumnConfig<string, 'string uuid', true, false>>
  /** `text` primary key; a time-ordered UUID v7 (RFC 9562) is generated application-side on insert. */
  uuidV7PrimaryKey(
    options?: PresetAttributeOptions,
  ): Attribute<'uuid', PresetColumnConfig<string, 'string uuid', true, false>>
  /** `integer PRIMARY KEY AUTOINCREMENT`. */
  integerPrimaryKey(
    options?: PresetAttributeOptions,
  ): Attribute<'integer', PresetColumnConfig<number, 'number int53', true, true>>
  /** Not-null `utcDatetimeUsec` set to now on insert (application side). */
  createTimestamp(options?: TimestampOptions): TimestampAttribute
  /** Not-null `utcDatetimeUsec` set to now on insert and on every update (application side). */
  updateTimestamp(options?: TimestampOptions): TimestampAttribute
  /** `insertedAt` (column `inserted_at`) and `updatedAt` (column `updated_at`), as Ash's `timestamps()`. */
  timestamps(): { insertedAt: TimestampAttribute; updatedAt: TimestampAttribute }
}

function definition(
  type: AttributeType,
  options: unknown,
  extra: { enumValues?: readonly string[]; itemType?: ArrayItemType; preset?: AttributePreset } = {},
): AnyAttribute {
  // Options are copied so later mutation of the caller's object cannot change a validated resource.
  const copied = typeof options === 'object' && options !== null ? { ...options } : options === undefined ? {} : options
  return Object.freeze({
    kind: 'attribute' as const,
    type,
    options: copied as Readonly<Record<string, unknown>>,
    enumValues: extra.enumValues ? Object.freeze([...extra.enumValues]) : extra.enumValues,
    itemType: extra.itemType,
    preset: extra.preset,
  })
}

function scalar<TType extends keyof ScalarTypeMap>(type: TType): ScalarBuilder<TType, any> {
  return ((options?: unknown) => definition(type, options)) as ScalarBuilder<TType, any>
}

export const attr: AttributeBuilders = {
  string: scalar('string'),
  ciString: scalar('ciString'),
  integer: scalar('integer'),
  bigint: scalar('bigint'),
  float: scalar('float'),
  decimal: scalar('decimal'),
  boolean: scalar('boolean'),
  uuid: scalar('uuid'),
  date: scalar('date'),
  time: scalar('time'),
  utcDatetime: scalar('utcDatetime'),
  utcDatetimeUsec: scalar('utcDatetimeUsec'),
  naiveDatetime: scalar('naiveDatetime'),
  binary: scalar('binary'),
  json: ((options?: unknown) => definition('json', options)) as JsonBuilder,
  array: ((of: ArrayItemType, options?: unknown) =>
    definition('array', options, { itemType: of })) as AttributeBuilders['array'],
  enum: ((values: readonly string[], options?: unknown) =>
    definition('enum', options, { enumValues: Array.isArray(values) ? values : [] })) as AttributeBuilders['enum'],
  uuidPrimaryKey: (options) => definition('uuid', options, { preset: 'uuidPrimaryKey' }) as never,
  uuidV7PrimaryKey: (options) => definition('uuid', options, { preset: 'uuidV7PrimaryKey' }) as never,
  integerPrimaryKey: (options) => definition('integer', options, { preset: 'integerPrimaryKey' }) as never,
  createTimestamp: (options) => definition('utcDatetimeUsec', options, { preset: 'createTimestamp' }) as never,
  updateTimestamp: (options) => definition('utcDatetimeUsec', options, { preset: 'updateTimestamp' }) as never,
  timestamps: () => ({
    insertedAt: definition('utcDatetimeUsec', {}, { preset: 'createTimestamp' }) as TimestampAttribute,
    updatedAt: definition('utcDatetimeUsec', {}, { preset: 'updateTimestamp' }) as TimestampAttribute,
  }),
}

export function isAttribute(value: unknown): value is AnyAttribute {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'attribute'
}
