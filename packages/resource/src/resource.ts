/**
 * The `Resource` type and the shape of a resource definition. `Resource.table` is typed from the
 * attributes and belongsTo relationships, so Drizzle infers rows exactly.
 */
import type { SQL } from 'drizzle-orm'
import type { SQLiteTable } from 'drizzle-orm/sqlite-core'
import type { KeyAttributeType } from './attribute-types.js'
import type { AnyAttribute } from './attributes.js'
import type { ColumnBuilderOf, IsAny, ScalarTypeMap, TableWithBuilders } from './column-types.js'
import type { AnyRelationship, BelongsTo, TargetOf } from './relationships.js'
import type { Repo } from './repo.js'
import type { TableState } from './table-state.js'

export type AttributeMap = Record<string, AnyAttribute>
export type RelationshipMap = Record<string, AnyRelationship>

/** `onDelete`/`onUpdate` as AshSqlite spells them. */
export type ReferenceActionOption = 'delete' | 'nilify' | 'restrict' | 'nothing' | 'update' | 'setDefault'

export interface ReferenceOptions {
  /** Default `nothing` (NO ACTION). */
  onDelete?: ReferenceActionOption
  /** Default `nothing` (NO ACTION). */
  onUpdate?: ReferenceActionOption
  /** Explicit constraint name; default drizzle-kit's `fk_<table>_<column>_<target>_<column>_fk`. */
  name?: string
  /** Keep the key column but create no foreign key. */
  ignore?: boolean
}

/** One key of a custom index: an attribute, an attribute in descending order, or an SQL expression. */
export type IndexField<TKey extends string = string> =
  | TKey
  | { field: TKey; order?: 'asc' | 'desc' }
  | { expression: string | SQL }

export interface CustomIndexDefinition<TKey extends string = string> {
  /** Attribute keys (or `{ field, order }`, `{ expression }`), in index order. */
  fields: readonly IndexField<TKey>[]
  /** Default `<table>_<col1>_<col2>_index` (`..._unique_index` when unique). */
  name?: string
  unique?: boolean
  /** WHERE clause of a partial index. */
  where?: string | SQL
}

export interface CustomStatementDefinition {
  /** Statements are matched by name between snapshots; changing `up` re-runs `down` then the new `up`. */
  name: string
  up: string
  down: string
}

/** An identity: attribute keys that are unique together (a unique index). */
export type IdentityDefinition<TKey extends string = string> =
  | readonly TKey[]
  | {
      keys: readonly TKey[]
      description?: string
      /** SQL condition: the identity holds among the rows matching it (a partial unique index). */
      where?: string | SQL
      /** Default true. `false`: two rows whose keys are NULL count as duplicates. */
      nilsDistinct?: boolean
    }

/** A CHECK constraint of the table. */
export interface CheckConstraintDefinition {
  /** Constraint name; constraints are matched by name between snapshots. */
  name: string
  /** The SQL condition (column names, not attribute keys). */
  check: string | SQL
  /** What to tell a user whose row breaks it (SQLite itself reports only the name). */
  message?: string
}

export interface SqliteOptions<
  TTableName extends string = string,
  TKey extends string = string,
  TRelationship extends string = string,
> {
  repo: Repo
  table: TTableName
  /** Previous table name, so the next migration renames the table. */
  renamedFrom?: string
  /** Default true. `false` leaves the table out of generated migrations. */
  migrate?: boolean
  /** A STRICT table. */
  strict?: boolean
  references?: { [R in TRelationship]?: ReferenceOptions }
  customIndexes?: readonly CustomIndexDefinition<TKey>[]
  customStatements?: readonly CustomStatementDefinition[]
  /** Attribute key -> SQL type used in migrations instead of the type's default. */
  migrationTypes?: { [K in TKey]?: string }
  /** Attribute key -> raw SQL default used in migrations instead of the attribute's default. */
  migrationDefaults?: { [K in TKey]?: string }
  /** Identity name -> index name. */
  identityIndexNames?: Record<string, string>
  /** Identities that get no unique index. */
  skipUniqueIndexes?: readonly string[]
  /** SQL condition; becomes the WHERE of every identity index. */
  baseFilterSql?: string
  /** CHECK constraints of the table. */
  checkConstraints?: readonly CheckConstraintDefinition[]
}

export interface ResourceDefinition<
  TName extends string = string,
  TTableName extends string = string,
  TAttributes extends AttributeMap = AttributeMap,
  TRelationships extends RelationshipMap = RelationshipMap,
> {
  name: TName
  description?: string
  attributes: TAttributes
  relationships?: TRelationships
  identities?: Record<string, IdentityDefinition<NoInfer<AttributeKey<TAttributes, TRelationships>>>>
  sqlite: SqliteOptions<
    TTableName,
    NoInfer<AttributeKey<TAttributes, TRelationships>>,
    NoInfer<BelongsToName<TRelationships>>
  >
}

/** New column source -> previous column source, plus the previous table name. */
export interface ResourceRenames {
  table: string | null
  columns: Record<string, string>
}

/**
 * A compiled resource. Without type arguments (`Resource`) it stands for any resource, and its `table`
 * is a plain `SQLiteTable`.
 */
export interface Resource<
  TName extends string = string,
  TTableName extends string = string,
  TAttributes extends AttributeMap = any,
  TRelationships extends RelationshipMap = any,
> {
  readonly kind: 'resource'
  readonly name: TName
  readonly description: string | null
  readonly repo: Repo
  readonly tableName: TTableName
  /** `sqlite.migrate`, default true. */
  readonly migrate: boolean
  /** The typed Drizzle table (built on first access). */
  readonly table: IsAny<TAttributes> extends true ? SQLiteTable : ResourceTable<TTableName, TAttributes, TRelationships>
  /** This resource's own canonical table state (built on first access). */
  readonly state: TableState
  readonly renames: ResourceRenames
  readonly attributes: TAttributes
  readonly relationships: TRelationships
}

/** Any resource; annotate a relationship thunk with it to break a type cycle: `(): AnyResource => Post`. */
export type AnyResource = Resource

/** Property names of a resource's row: its attributes and its belongsTo keys. */
export type AttributeKey<TAttributes, TRelationships> = (keyof TAttributes | BelongsToKeyOf<TRelationships>) & string

type BelongsToName<TRelationships> = {
  [K in keyof TRelationships & string]: TRelationships[K] extends BelongsTo<any, any> ? K : never
}[keyof TRelationships & string]

type BelongsToKeyOf<TRelationships> = {
  [K in keyof TRelationships & string]: TRelationships[K] extends BelongsTo<any, infer O>
    ? O extends { attributes: readonly string[] }
      ? never
      : BelongsToKeyName<K, O>
    : never
}[keyof TRelationships & string]

/** `author` -> `authorId`, unless `attribute` names it. */
export type BelongsToKeyName<TName extends string, O> = O extends { attribute: infer A extends string }
  ? A
  : `${TName}Id`

type AttributeBuilders<TAttributes> = {
  [K in keyof TAttributes]: ColumnBuilderOf<
    NonNullable<TAttributes[K] extends AnyAttribute ? TAttributes[K]['~column'] : never>
  >
}

type BelongsToBuilders<TRelationships> = {
  [K in keyof TRelationships & string as TRelationships[K] extends BelongsTo<any, infer O>
    ? O extends { attributes: readonly string[] }
      ? never
      : BelongsToKeyName<K, O>
    : never]: TRelationships[K] extends BelongsTo<infer T, infer O> ? ColumnBuilderOf<BelongsToKeyConfig<T, O>> : never
}

type TargetColumns<T extends AnyResource> = T['table']['_']['columns']

type PrimaryKeyOf<TColumns> = {
  [K in keyof TColumns]: TColumns[K] extends { _: { isPrimaryKey: true } } ? K : never
}[keyof TColumns]

type DestinationColumn<T extends AnyResource, O> = TargetColumns<T>[(O extends {
  destinationAttribute: infer D extends string
}
  ? D
  : PrimaryKeyOf<TargetColumns<T>>) &
  keyof TargetColumns<T>]

/** The target is read only when `attributeType` does not say the type, so a self reference with it needs no annotation. */
type KeyTypes<TThunk, O> = O extends { attributeType: infer K extends KeyAttributeType }
  ? ScalarTypeMap[K]
  : DestinationTypes<TargetOf<TThunk>, O>

type DestinationTypes<T extends AnyResource, O> =
  IsAny<T['attributes']> extends true
    ? { data: unknown; dataType: 'custom' }
    : { data: DestinationColumn<T, O>['_']['data']; dataType: DestinationColumn<T, O>['_']['dataType'] }

interface BelongsToKeyConfig<TThunk, O> {
  data: KeyTypes<TThunk, O>['data']
  dataType: KeyTypes<TThunk, O>['dataType']
  notNull: O extends { allowNull: false } | { primaryKey: true } ? true : false
  hasDefault: false
  primaryKey: O extends { primaryKey: true } ? true : false
  autoincrement: false
  runtimeDefault: false
  generated: false
  enumValues: undefined
}

/** The Drizzle table type of a resource. */
export type ResourceTable<
  TTableName extends string,
  TAttributes extends AttributeMap,
  TRelationships extends RelationshipMap,
> = TableWithBuilders<TTableName, AttributeBuilders<TAttributes> & BelongsToBuilders<TRelationships>>
