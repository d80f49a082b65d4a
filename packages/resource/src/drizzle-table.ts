/**
 * Table states to Drizzle `sqliteTable`s. `Resource.table` is built here from the resource's own state, so
 * the DDL drizzle-kit derives from a resource is exactly the DDL its state describes; the generator can
 * build tables from stored states the same way (`sqliteTablesFromStates`).
 */
import { getTableColumns, type SQL, sql } from 'drizzle-orm'
import {
  type AnySQLiteColumn,
  blob,
  bufferFromBinaryIfAvailable,
  check,
  customType,
  foreignKey,
  index,
  integer,
  primaryKey,
  real,
  type SQLiteColumnBuilder,
  type SQLiteTable,
  type SQLiteTableExtraConfigValue,
  sqliteTable,
  text,
  type UpdateDeleteAction,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core'
import { type AttributeType, SQL_TYPES } from './attribute-types.js'
import { formatDatetime, parseDatetime } from './datetime-text.js'
import type { ColumnValueType } from './resolve-state.js'
import type { RuntimeDefault } from './resource-spec.js'
import type {
  ColumnState,
  ForeignKeyState,
  IdentityState,
  IndexKeyState,
  ReferenceAction,
  ReferenceState,
  TableState,
} from './table-state.js'
import { uuidV7 } from './uuid-v7.js'

type AnyColumnBuilder = SQLiteColumnBuilder<any, any, any>

/** What a column needs beyond its state: how values map, and application-side defaults. */
export interface ColumnRuntime {
  valueType: ColumnValueType | null
  runtimeDefault: RuntimeDefault
  onUpdateNow: boolean
}

export interface BuildTableOptions {
  /** Row property of each column: the attribute key (resource tables) or the column name (state tables). */
  propertyKey: 'attribute' | 'source'
  runtime?: (column: ColumnState) => ColumnRuntime | undefined
  /** The Drizzle column a foreign key points at; called lazily, when Drizzle reads the foreign key. */
  referencedColumn: (column: ColumnState, reference: ReferenceState) => AnySQLiteColumn
  /** The Drizzle columns a composite foreign key points at, in order. */
  referencedColumns: (foreignKey: ForeignKeyState) => AnySQLiteColumn[]
}

export function buildSqliteTable(state: TableState, options: BuildTableOptions): SQLiteTable {
  const keyOf = (column: ColumnState) => (options.propertyKey === 'attribute' ? column.attribute : column.source)
  const primaryKeys = state.columns.filter((column) => column.primaryKey)
  const rowidKey = primaryKeys.length === 1 && isRowidAlias(primaryKeys[0] as ColumnState) ? primaryKeys[0] : undefined
  const builders: Record<string, AnyColumnBuilder> = {}
  for (const column of state.columns) {
    let builder = columnBuilder(column, options.runtime?.(column), column === rowidKey)
    const reference = column.references
    if (reference && reference.name === null) {
      builder = builder.references(() => options.referencedColumn(column, reference), actionsOf(reference))
    }
    builders[keyOf(column)] = builder
  }
  return sqliteTable(state.table, builders, (self) => {
    const columnOf = (source: string) =>
      self[keyOf(state.columns.find((column) => column.source === source) as ColumnState)] as AnySQLiteColumn
    const indexColumns = (sources: readonly string[]) =>
      sources.map(columnOf) as [AnySQLiteColumn, ...AnySQLiteColumn[]]
    const extras: SQLiteTableExtraConfigValue[] = []
    if (primaryKeys.length > 0 && !rowidKey) {
      extras.push(primaryKey({ columns: indexColumns(primaryKeys.map((column) => column.source)) }))
    }
    for (const column of state.columns) {
      const reference = column.references
      if (!reference || reference.name === null) continue
      const builder = foreignKey({
        name: reference.name,
        columns: [columnOf(column.source)],
        foreignColumns: [options.referencedColumn(column, reference)],
      })
      const actions = actionsOf(reference)
      if (actions.onDelete) builder.onDelete(actions.onDelete)
      if (actions.onUpdate) builder.onUpdate(actions.onUpdate)
      extras.push(builder)
    }
    for (const composite of state.foreignKeys ?? []) {
      const builder = foreignKey({
        ...(composite.name === null ? {} : { name: composite.name }),
        columns: indexColumns(composite.columns),
        foreignColumns: options.referencedColumns(composite) as [AnySQLiteColumn, ...AnySQLiteColumn[]],
      })
      const actions = actionsOf(composite)
      if (actions.onDelete) builder.onDelete(actions.onDelete)
      if (actions.onUpdate) builder.onUpdate(actions.onUpdate)
      extras.push(builder)
    }
    for (const identity of state.identities) {
      const keys = identityKeys(identity, state, indexColumns)
      extras.push(withWhere(uniqueIndex(identity.indexName).on(...keys), identity.where))
    }
    for (const custom of state.customIndexes) {
      const keys = custom.keys ? custom.keys.map(indexKeySql) : indexColumns(custom.columns)
      const builder = (custom.unique ? uniqueIndex : index)(custom.name).on(...(keys as [IndexKey, ...IndexKey[]]))
      extras.push(withWhere(builder, custom.where))
    }
    for (const constraint of state.checkConstraints ?? [])
      extras.push(check(constraint.name, sql.raw(constraint.check)))
    return extras
  }) as unknown as SQLiteTable
}

type IndexKey = AnySQLiteColumn | SQL

/** An expression or descending key, as SQL text drizzle-kit writes into CREATE INDEX as it stands. */
function indexKeySql(key: IndexKeyState): SQL {
  return 'expression' in key
    ? sql.raw(key.expression)
    : sql.raw(`"${key.column}"${key.order === 'desc' ? ' DESC' : ''}`)
}

/**
 * SQLite's UNIQUE treats NULLs as distinct. `nilsDistinct: false` keys each nullable column twice,
 * `col IS NULL` and `ifnull(col, 0)`: two NULLs then give equal keys (1, 0), while NULL and a real 0 differ in
 * the first one.
 */
function identityKeys(
  identity: IdentityState,
  state: TableState,
  indexColumns: (sources: readonly string[]) => [AnySQLiteColumn, ...AnySQLiteColumn[]],
): [IndexKey, ...IndexKey[]] {
  if (identity.nilsDistinct !== false) return indexColumns(identity.columns)
  return identity.columns.flatMap((source): IndexKey[] => {
    const column = state.columns.find((candidate) => candidate.source === source)
    if (column && !column.allowNull) return indexColumns([source])
    return [sql.raw(`"${source}" IS NULL`), sql.raw(`ifnull("${source}", 0)`)]
  }) as [IndexKey, ...IndexKey[]]
}

export interface TablesFromStatesOptions {
  /**
   * The state of a table outside `states` that a foreign key points at. Such a table is built the first time
   * a foreign key to it is read and is not returned: drizzle-kit records a foreign key by the target's table
   * and column names only, so a subset of a repo's tables (the ones that changed) can be diffed on its own.
   */
  referencedState?: ((table: string) => TableState | undefined) | undefined
}

/**
 * Drizzle tables for the states of one repo, keyed by table name, with foreign keys between them (and to the
 * tables `referencedState` knows). Enough for drizzle-kit to derive DDL; values are not mapped (no runtime
 * information is stored in states).
 */
export function sqliteTablesFromStates(
  states: readonly TableState[],
  options: TablesFromStatesOptions = {},
): Record<string, SQLiteTable> {
  // Maps, not plain objects: a table may be called "constructor".
  const own = new Map<string, SQLiteTable>()
  const outside = new Map<string, SQLiteTable | undefined>()
  const tableNamed = (name: string): SQLiteTable | undefined => {
    const table = own.get(name)
    if (table || outside.has(name)) return table ?? outside.get(name)
    const state = options.referencedState?.(name)
    const built = state ? fromState(state) : undefined
    outside.set(name, built)
    return built
  }
  const fromState = (state: TableState): SQLiteTable =>
    buildSqliteTable(state, {
      propertyKey: 'source',
      referencedColumn: (column, reference) => {
        const target = tableNamed(reference.table)
        const columns = target ? (getTableColumns(target) as Record<string, AnySQLiteColumn>) : {}
        const referenced = Object.hasOwn(columns, reference.column) ? columns[reference.column] : undefined
        if (!referenced) {
          throw new Error(
            `Table ${state.table}.${column.source} references ${reference.table}.${reference.column}, which is neither among the given states nor known to referencedState`,
          )
        }
        return referenced
      },
      referencedColumns: (foreignKey) => {
        const target = tableNamed(foreignKey.table)
        const columns = target ? (getTableColumns(target) as Record<string, AnySQLiteColumn>) : {}
        return foreignKey.referencedColumns.map((name) => {
          const referenced = Object.hasOwn(columns, name) ? columns[name] : undefined
          if (!referenced) {
            throw new Error(
              `Table ${state.table} (${foreignKey.columns.join(', ')}) references ${foreignKey.table}.${name}, which is neither among the given states nor known to referencedState`,
            )
          }
          return referenced
        })
      },
    })
  for (const state of states) own.set(state.table, fromState(state))
  return Object.fromEntries(own)
}

const DRIZZLE_ACTIONS: Readonly<Record<ReferenceAction, UpdateDeleteAction>> = {
  CASCADE: 'cascade',
  'SET NULL': 'set null',
  'SET DEFAULT': 'set default',
  RESTRICT: 'restrict',
  'NO ACTION': 'no action',
}

function actionsOf(reference: Pick<ReferenceState, 'onDelete' | 'onUpdate'>): {
  onDelete?: UpdateDeleteAction
  onUpdate?: UpdateDeleteAction
} {
  // NO ACTION is SQLite's default; leaving it out keeps the DDL free of noise.
  return {
    ...(reference.onDelete === 'NO ACTION' ? {} : { onDelete: DRIZZLE_ACTIONS[reference.onDelete] }),
    ...(reference.onUpdate === 'NO ACTION' ? {} : { onUpdate: DRIZZLE_ACTIONS[reference.onUpdate] }),
  }
}

function withWhere<T extends { where(condition: SQL): T }>(builder: T, where: string | null): T {
  return where === null ? builder : builder.where(sql.raw(where))
}

/**
 * An INTEGER PRIMARY KEY is the rowid: SQLite itself never stores NULL in it. Any other primary key column of a
 * non-STRICT table accepts NULL (a legacy quirk), so it needs an explicit NOT NULL.
 */
function isRowidAlias(column: ColumnState): boolean {
  return column.autoincrement || column.type.toLowerCase() === 'integer'
}

/**
 * `rowidKey` columns get Drizzle's column-level primary key. Every other primary key is declared on the table
 * (`buildSqliteTable`) with NOT NULL columns: drizzle-kit drops NOT NULL from a column-level primary key, yet
 * still writes a one-column table-level key inline, as `text PRIMARY KEY NOT NULL`.
 */
function columnBuilder(column: ColumnState, runtime: ColumnRuntime | undefined, rowidKey: boolean): AnyColumnBuilder {
  if (column.autoincrement) {
    // A migrationDefaults entry is part of the state, so it is part of the DDL, even on an AUTOINCREMENT key.
    const key = integer(column.source).primaryKey({ autoIncrement: true })
    return column.default === null ? key : key.default(sql.raw(column.default))
  }
  let builder = baseBuilder(column, runtime?.valueType ?? null)
  if (rowidKey) builder = builder.primaryKey()
  else if (column.primaryKey || !column.allowNull) builder = builder.notNull()
  if (column.default !== null) builder = builder.default(sql.raw(column.default))
  if (column.generated) {
    builder = builder.generatedAlwaysAs(sql.raw(column.generated.as), { mode: column.generated.mode })
  }
  if (runtime?.runtimeDefault === 'uuid') builder = builder.$defaultFn(() => globalThis.crypto.randomUUID())
  if (runtime?.runtimeDefault === 'uuidV7') builder = builder.$defaultFn(uuidV7)
  if (runtime?.runtimeDefault === 'now') builder = builder.$defaultFn(() => new Date())
  if (runtime?.onUpdateNow) builder = builder.$onUpdateFn(() => new Date())
  return builder
}

/**
 * Drizzle's own builders where the column has its type's natural SQL type (so drizzle-zod and friends see
 * ordinary columns); a custom type carrying the SQL type and the value mapping otherwise.
 */
function baseBuilder(column: ColumnState, valueType: ColumnValueType | null): AnyColumnBuilder {
  return withDataType(typedBuilder(column, valueType), valueType)
}

function typedBuilder(column: ColumnState, valueType: ColumnValueType | null): AnyColumnBuilder {
  const { source, type: sqlType } = column
  if (valueType?.storage && sqlType === 'integer') {
    return integer(source, { mode: valueType.storage === 'unixepoch' ? 'timestamp' : 'timestamp_ms' })
  }
  if (valueType && SQL_TYPES[valueType.type] === sqlType && valueType.type !== 'bigint') {
    switch (valueType.type) {
      case 'string':
      case 'uuid':
      case 'decimal':
      case 'date':
      case 'time':
        return text(source)
      case 'enum':
        return text(source, { enum: [...(valueType.enumValues ?? [])] as [string, ...string[]] })
      case 'integer':
        return integer(source)
      case 'float':
        return real(source)
      case 'boolean':
        return integer(source, { mode: 'boolean' })
      case 'json':
      case 'array':
        return text(source, { mode: 'json' })
      case 'binary':
        return blob(source, { mode: 'buffer' })
    }
  }
  return mappedColumn(source, sqlType, valueType?.type ?? null)
}

/**
 * Drizzle tags every column with a data type (`'string'`, `'object date'`, ...) that validators such as
 * `drizzle-orm/zod` read; a custom column is tagged `'custom'`, which they turn into "anything". Every column
 * is tagged with the data type its TypeScript type has (the same tag `column-types.ts` gives the row type), so
 * `createInsertSchema` validates a ciString as a string, a text date-time as a Date and a uuid as a UUID. The tag
 * is read by validators only: SQL and value mapping come from the builder.
 */
function withDataType(builder: AnyColumnBuilder, valueType: ColumnValueType | null): AnyColumnBuilder {
  const dataType = valueType?.storage ? 'object date' : valueType ? DATA_TYPES[valueType.type] : undefined
  const config = (builder as unknown as { config: { dataType: string; enumValues?: string[] } }).config
  if (dataType) config.dataType = dataType
  if (valueType?.type === 'enum' && config.enumValues === undefined)
    config.enumValues = [...(valueType.enumValues ?? [])]
  return builder
}

const DATA_TYPES: Readonly<Partial<Record<AttributeType, string>>> = {
  string: 'string',
  ciString: 'string',
  uuid: 'string uuid',
  decimal: 'string numeric',
  date: 'string date',
  time: 'string time',
  enum: 'string enum',
  integer: 'number int53',
  bigint: 'bigint int64',
  float: 'number double',
  boolean: 'boolean',
  utcDatetime: 'object date',
  utcDatetimeUsec: 'object date',
  naiveDatetime: 'object date',
  binary: 'object buffer',
  json: 'object json',
  array: 'object json',
}

type MappedColumnFactory = (name: string, config: { sqlType: string }) => AnyColumnBuilder

const mappedColumnFactories = new Map<AttributeType | null, MappedColumnFactory>()

/** A custom column of any SQL type; the value mapping of the attribute type is baked into its factory. */
function mappedColumn(source: string, sqlType: string, type: AttributeType | null): AnyColumnBuilder {
  let factory = mappedColumnFactories.get(type)
  if (!factory) {
    factory = customType<{ data: unknown; driverData: unknown; config: { sqlType: string }; configRequired: true }>({
      dataType: (config) => config.sqlType,
      ...valueMapping(type),
    }) as unknown as MappedColumnFactory
    mappedColumnFactories.set(type, factory)
  }
  return factory(source, { sqlType })
}

function valueMapping(type: AttributeType | null): {
  toDriver?: (value: any) => unknown
  fromDriver?: (value: any) => unknown
} {
  switch (type) {
    case 'utcDatetime':
    case 'utcDatetimeUsec':
    case 'naiveDatetime':
      return {
        toDriver: (value: Date | string) => (value instanceof Date ? formatDatetime(value, type) : value),
        fromDriver: (value: string | number) => (typeof value === 'string' ? parseDatetime(value) : new Date(value)),
      }
    case 'boolean':
      return {
        toDriver: (value: boolean) => (value ? 1 : 0),
        fromDriver: (value: number | bigint) => Number(value) === 1,
      }
    case 'json':
    case 'array':
      return {
        toDriver: (value: unknown) => JSON.stringify(value),
        fromDriver: (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value),
      }
    case 'binary':
      return { fromDriver: (value: ArrayBuffer) => bufferFromBinaryIfAvailable(value) }
    case 'bigint':
      return {
        toDriver: (value: bigint | number) => (typeof value === 'bigint' ? value : BigInt(value)),
        fromDriver: (value: bigint | number | string) => BigInt(value),
      }
    default:
      return {}
  }
}
