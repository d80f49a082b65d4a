/**
 * Type-level description of the columns an attribute produces. Each attribute carries a `ColumnTypeConfig`
 * (phantom, types only); `ResourceTable` turns a resource's attributes and belongsTo keys into the exact
 * Drizzle `SQLiteTableWithColumns` type, so select and insert models are inferred by Drizzle itself.
 */
import type { BuildColumns, ColumnBuilderBase, ColumnType } from 'drizzle-orm'
import type { SQLiteTableWithColumns } from 'drizzle-orm/sqlite-core'

/** What the row type needs to know about one column. */
export interface ColumnTypeConfig {
  /** TypeScript type of the value. */
  data: unknown
  /** Drizzle's data type tag. */
  dataType: ColumnType
  notNull: boolean
  hasDefault: boolean
  primaryKey: boolean
  autoincrement: boolean
  runtimeDefault: boolean
  generated: boolean
  enumValues: [string, ...string[]] | undefined
}

/** TypeScript and Drizzle types of the scalar attribute types. */
export interface ScalarTypeMap {
  string: { data: string; dataType: 'string' }
  ciString: { data: string; dataType: 'string' }
  uuid: { data: string; dataType: 'string uuid' }
  decimal: { data: string; dataType: 'string numeric' }
  date: { data: string; dataType: 'string date' }
  time: { data: string; dataType: 'string time' }
  integer: { data: number; dataType: 'number int53' }
  bigint: { data: bigint; dataType: 'bigint int64' }
  float: { data: number; dataType: 'number double' }
  boolean: { data: boolean; dataType: 'boolean' }
  utcDatetime: { data: Date; dataType: 'object date' }
  utcDatetimeUsec: { data: Date; dataType: 'object date' }
  naiveDatetime: { data: Date; dataType: 'object date' }
  binary: { data: Uint8Array; dataType: 'object buffer' }
}

/** Element types of `attr.array(of)`; arrays are JSON, so their elements are JSON values. */
export interface ArrayItemTypeMap {
  string: string
  ciString: string
  uuid: string
  decimal: string
  date: string
  time: string
  integer: number
  float: number
  boolean: boolean
  json: unknown
}

/** `allowNull: false` or `primaryKey: true` make a column non-null. */
export type IsNotNull<O> = O extends { allowNull: false } | { primaryKey: true } ? true : false

/** A non-null `default` or a `generated` expression give a column a value when an insert omits it. */
export type HasDefault<O> = O extends { generated: object }
  ? true
  : O extends { default: infer D }
    ? [D] extends [null | undefined]
      ? false
      : true
    : false

export type IsPrimaryKey<O> = O extends { primaryKey: true } ? true : false

export type IsGenerated<O> = O extends { generated: object } ? true : false

/** The column config of an ordinary attribute of type data/dataType with options O. */
export interface OptionsColumnConfig<TData, TDataType extends ColumnType, O> {
  data: TData
  dataType: TDataType
  notNull: IsNotNull<O>
  hasDefault: HasDefault<O>
  primaryKey: IsPrimaryKey<O>
  autoincrement: false
  runtimeDefault: false
  generated: IsGenerated<O>
  enumValues: undefined
}

/** A column with an application-side default (uuid primary keys, timestamps). */
export interface PresetColumnConfig<
  TData,
  TDataType extends ColumnType,
  TPrimaryKey extends boolean,
  TAuto extends boolean,
> {
  data: TData
  dataType: TDataType
  notNull: true
  hasDefault: true
  primaryKey: TPrimaryKey
  autoincrement: TAuto
  runtimeDefault: true
  generated: false
  enumValues: undefined
}

/** A stand-in for the Drizzle column builder whose built column has exactly these types. */
export interface ColumnBuilderOf<C extends ColumnTypeConfig>
  extends ColumnBuilderBase<{
    dataType: C['dataType']
    data: C['data']
    driverParam: unknown
    notNull: C['notNull']
    hasDefault: C['hasDefault']
    isPrimaryKey: C['primaryKey']
    isAutoincrement: C['autoincrement']
    hasRuntimeDefault: C['runtimeDefault']
    enumValues: C['enumValues']
    generated: C['generated'] extends true ? { type: 'always' } : undefined
  }> {}

/** The Drizzle table type of a resource, given its table name and its column builders by property name. */
export type TableWithBuilders<
  TTableName extends string,
  TBuilders extends Record<string, ColumnBuilderBase>,
> = SQLiteTableWithColumns<{
  name: TTableName
  schema: undefined
  columns: BuildColumns<TTableName, TBuilders, 'sqlite'>
  dialect: 'sqlite'
  isAlias: false
}>

/** True when T is `any`. */
export type IsAny<T> = 0 extends 1 & T ? true : false
