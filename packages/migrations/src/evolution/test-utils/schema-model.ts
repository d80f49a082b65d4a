/**
 * A pure model of a repo's schema as the resources describe it, and the change commands the evolution tests
 * apply to it. Every model is something the DSL accepts; every command is valid for the model it is applied to
 * (`resolve-intent.ts` makes them so). Names carry their lineage within a step (`origin`), so the step's
 * renames (`renamedFrom`) and the fate of each row and cell can be derived from the model alone.
 */
import type { ReferenceActionOption } from '@ash-sqlite/resource'

/** The DSL attribute types the tests use: one per SQLite affinity, plus the two with a twist. */
export type ColumnType = 'string' | 'ciString' | 'integer' | 'float' | 'boolean' | 'binary'

export const COLUMN_TYPES: readonly ColumnType[] = ['string', 'ciString', 'integer', 'float', 'boolean', 'binary']

/** A literal default of the column's type (binary as lower-case hex). */
export type DefaultValue = string | number | boolean

export type PrimaryKeyKind = 'integer' | 'uuid'

export type OnDelete = ReferenceActionOption

export const ON_DELETE_OPTIONS: readonly OnDelete[] = ['delete', 'nilify', 'restrict', 'nothing', 'update']

export interface ColumnModel {
  readonly name: string
  readonly type: ColumnType
  readonly allowNull: boolean
  readonly default: DefaultValue | null
  /** A generated column (`GENERATED_AS`, text columns only, never with a default). */
  readonly generated: boolean
  /** Its name when the current step started, or null when the step added it. */
  readonly origin: string | null
}

/** The expression of every generated column: a text computed from the row's key, never NULL. */
export const GENERATED_AS = "'g' || id"

/**
 * A watch: custom statements one table's resource declares over another table (or itself), so that every
 * rebuild crosses resources: a view reading `target`, a trigger ON `target`, and a trigger on the owner's table
 * writing `target`. All are no-ops on the data.
 */
export interface WatchModel {
  /** Prefix of the objects' names (`w1_view`, `w1_trigger`, `w1_touch`). */
  readonly name: string
  readonly target: string
}

/** The custom statements of a watch declared by `owner`. */
export function watchStatements(owner: string, watch: WatchModel): { name: string; up: string; down: string }[] {
  const { name, target } = watch
  return [
    {
      name: `${name}_view`,
      up: `CREATE VIEW ${name}_view AS SELECT id FROM ${target}`,
      down: `DROP VIEW ${name}_view`,
    },
    {
      name: `${name}_trigger`,
      up: `CREATE TRIGGER ${name}_trigger AFTER UPDATE ON ${target} BEGIN\n  SELECT 1;\nEND`,
      down: `DROP TRIGGER ${name}_trigger`,
    },
    {
      name: `${name}_touch`,
      up: `CREATE TRIGGER ${name}_touch AFTER DELETE ON ${owner} BEGIN\n  UPDATE ${target} SET id = id WHERE 0;\nEND`,
      down: `DROP TRIGGER ${name}_touch`,
    },
  ]
}

export interface BelongsToModel {
  /** Relationship name; its key attribute is `<name>Id`, its column `<name>_id`. */
  readonly name: string
  /** Target table (the target resource's primary key is the destination). */
  readonly target: string
  readonly allowNull: boolean
  readonly onDelete: OnDelete
  /** The relationship's name when the current step started, or null when the step added it. */
  readonly origin: string | null
}

export interface IdentityModel {
  readonly name: string
  /** Column names. */
  readonly columns: readonly string[]
}

export interface CustomIndexModel {
  readonly columns: readonly string[]
  readonly unique: boolean
  /** A partial index: `WHERE <first column> IS NOT NULL`. */
  readonly partial: boolean
}

/** The WHERE clause of a partial custom index. */
export function partialIndexWhere(index: CustomIndexModel): string | null {
  return index.partial ? `${index.columns[0]} IS NOT NULL` : null
}

export interface TableModel {
  readonly name: string
  /** `attr.integerPrimaryKey()` or `attr.uuidPrimaryKey()`, attribute and column `id`. */
  readonly key: PrimaryKeyKind
  readonly columns: readonly ColumnModel[]
  readonly belongsTo: readonly BelongsToModel[]
  readonly identities: readonly IdentityModel[]
  readonly customIndexes: readonly CustomIndexModel[]
  readonly strict: boolean
  readonly watches: readonly WatchModel[]
  /** Its name when the current step started, or null when the step added it. */
  readonly origin: string | null
}

export interface SchemaModel {
  readonly tables: readonly TableModel[]
}

export const EMPTY_SCHEMA: SchemaModel = { tables: [] }

export type Command =
  | { readonly kind: 'addTable'; readonly table: string; readonly key: PrimaryKeyKind; readonly strict: boolean }
  | { readonly kind: 'dropTable'; readonly table: string }
  | { readonly kind: 'renameTable'; readonly table: string; readonly to: string }
  | { readonly kind: 'setStrict'; readonly table: string; readonly strict: boolean }
  | {
      readonly kind: 'addColumn'
      readonly table: string
      readonly column: string
      readonly type: ColumnType
      readonly allowNull: boolean
      readonly default: DefaultValue | null
    }
  | { readonly kind: 'dropColumn'; readonly table: string; readonly column: string }
  | { readonly kind: 'renameColumn'; readonly table: string; readonly column: string; readonly to: string }
  | {
      readonly kind: 'changeType'
      readonly table: string
      readonly column: string
      readonly type: ColumnType
      readonly default: DefaultValue | null
    }
  | { readonly kind: 'setNullability'; readonly table: string; readonly column: string; readonly allowNull: boolean }
  | {
      readonly kind: 'setDefault'
      readonly table: string
      readonly column: string
      readonly default: DefaultValue | null
    }
  | { readonly kind: 'addIdentity'; readonly table: string; readonly name: string; readonly columns: readonly string[] }
  | { readonly kind: 'dropIdentity'; readonly table: string; readonly name: string }
  | {
      readonly kind: 'addIndex'
      readonly table: string
      readonly columns: readonly string[]
      readonly unique: boolean
      readonly partial: boolean
    }
  | {
      readonly kind: 'dropIndex'
      readonly table: string
      readonly columns: readonly string[]
      readonly unique: boolean
    }
  | {
      readonly kind: 'addBelongsTo'
      readonly table: string
      readonly name: string
      readonly target: string
      readonly allowNull: boolean
      readonly onDelete: OnDelete
    }
  | { readonly kind: 'dropBelongsTo'; readonly table: string; readonly name: string }
  | { readonly kind: 'renameBelongsTo'; readonly table: string; readonly name: string; readonly to: string }
  | { readonly kind: 'setOnDelete'; readonly table: string; readonly name: string; readonly onDelete: OnDelete }
  | { readonly kind: 'setGenerated'; readonly table: string; readonly column: string; readonly generated: boolean }
  | { readonly kind: 'addWatch'; readonly table: string; readonly name: string; readonly target: string }
  | { readonly kind: 'dropWatch'; readonly table: string; readonly name: string }

/** The column of a belongsTo key. */
export function foreignKeyColumn(relationship: string): string {
  return `${relationship}_id`
}

/** Every column of a table except `id`: its own, then its belongsTo keys (definition order). */
export function nonKeyColumns(table: TableModel): string[] {
  return [...table.columns.map((column) => column.name), ...table.belongsTo.map((rel) => foreignKeyColumn(rel.name))]
}

/** Default name of a custom index, as the DSL derives it. */
export function customIndexName(table: string, index: CustomIndexModel): string {
  return `${table}_${index.columns.join('_')}_${index.unique ? 'unique_index' : 'index'}`
}

/** Index name of an identity, as the DSL derives it (identity names here are already snake_case). */
export function identityIndexName(table: string, identity: IdentityModel): string {
  return `${table}_${identity.name}_index`
}

export function findTable(model: SchemaModel, name: string): TableModel {
  const table = model.tables.find((candidate) => candidate.name === name)
  if (table === undefined) throw new Error(`no table ${name} in the model`)
  return table
}

/** The model at the start of a step: every name is its own origin. */
export function startStep(model: SchemaModel): SchemaModel {
  return {
    tables: model.tables.map((table) => ({
      ...table,
      origin: table.name,
      columns: table.columns.map((column) => ({ ...column, origin: column.name })),
      belongsTo: table.belongsTo.map((rel) => ({ ...rel, origin: rel.name })),
    })),
  }
}

/** Applies one (valid) command. */
export function applyCommand(model: SchemaModel, command: Command): SchemaModel {
  switch (command.kind) {
    case 'addTable':
      return {
        tables: [
          ...model.tables,
          {
            name: command.table,
            key: command.key,
            columns: [],
            belongsTo: [],
            identities: [],
            customIndexes: [],
            strict: command.strict,
            watches: [],
            origin: null,
          },
        ],
      }
    case 'dropTable':
      return {
        tables: model.tables
          .filter((table) => table.name !== command.table)
          .map((table) => withoutBelongsTo(table, (rel) => rel.target === command.table))
          .map((table) => ({ ...table, watches: table.watches.filter((watch) => watch.target !== command.table) })),
      }
    case 'renameTable':
      return {
        tables: model.tables.map((table) => {
          const renamed = table.name === command.table ? { ...table, name: command.to } : table
          const belongsTo = renamed.belongsTo.map((rel) =>
            rel.target === command.table ? { ...rel, target: command.to } : rel,
          )
          const watches = renamed.watches.map((watch) =>
            watch.target === command.table ? { ...watch, target: command.to } : watch,
          )
          return { ...renamed, belongsTo, watches }
        }),
      }
    default:
      return {
        tables: model.tables.map((table) => (table.name === command.table ? changeTable(table, command) : table)),
      }
  }
}

type TableCommand = Exclude<Command, { kind: 'addTable' | 'dropTable' | 'renameTable' }>

function changeTable(table: TableModel, command: TableCommand): TableModel {
  switch (command.kind) {
    case 'setStrict':
      return { ...table, strict: command.strict }
    case 'addColumn': {
      const { column: name, type, allowNull } = command
      return {
        ...table,
        columns: [
          ...table.columns,
          { name, type, allowNull, default: command.default, generated: false, origin: null },
        ],
      }
    }
    case 'dropColumn':
      return withoutIndexesOn({ ...table, columns: table.columns.filter((c) => c.name !== command.column) }, [
        command.column,
      ])
    case 'renameColumn':
      return renameIndexedColumn(
        { ...table, columns: table.columns.map((c) => (c.name === command.column ? { ...c, name: command.to } : c)) },
        command.column,
        command.to,
      )
    case 'changeType':
      return updateColumn(table, command.column, { type: command.type, default: command.default })
    case 'setNullability':
      if (table.columns.some((column) => column.name === command.column)) {
        return updateColumn(table, command.column, { allowNull: command.allowNull })
      }
      return {
        ...table,
        belongsTo: table.belongsTo.map((rel) =>
          foreignKeyColumn(rel.name) === command.column ? { ...rel, allowNull: command.allowNull } : rel,
        ),
      }
    case 'setDefault':
      return updateColumn(table, command.column, { default: command.default })
    case 'addIdentity':
      return { ...table, identities: [...table.identities, { name: command.name, columns: command.columns }] }
    case 'dropIdentity':
      return { ...table, identities: table.identities.filter((identity) => identity.name !== command.name) }
    case 'addIndex':
      return {
        ...table,
        customIndexes: [
          ...table.customIndexes,
          { columns: command.columns, unique: command.unique, partial: command.partial },
        ],
      }
    case 'dropIndex':
      return {
        ...table,
        customIndexes: table.customIndexes.filter(
          (index) => !(sameColumns(index.columns, command.columns) && index.unique === command.unique),
        ),
      }
    case 'addBelongsTo': {
      const { name, target, allowNull, onDelete } = command
      return { ...table, belongsTo: [...table.belongsTo, { name, target, allowNull, onDelete, origin: null }] }
    }
    case 'dropBelongsTo':
      return withoutBelongsTo(table, (rel) => rel.name === command.name)
    case 'renameBelongsTo':
      return renameIndexedColumn(
        {
          ...table,
          belongsTo: table.belongsTo.map((rel) => (rel.name === command.name ? { ...rel, name: command.to } : rel)),
        },
        foreignKeyColumn(command.name),
        foreignKeyColumn(command.to),
      )
    case 'setGenerated':
      return updateColumn(table, command.column, { generated: command.generated })
    case 'addWatch':
      return { ...table, watches: [...table.watches, { name: command.name, target: command.target }] }
    case 'dropWatch':
      return { ...table, watches: table.watches.filter((watch) => watch.name !== command.name) }
    case 'setOnDelete':
      return {
        ...table,
        belongsTo: table.belongsTo.map((rel) =>
          rel.name === command.name ? { ...rel, onDelete: command.onDelete } : rel,
        ),
      }
  }
}

export function sameColumns(left: readonly string[], right: readonly string[]): boolean {
  return left.length === right.length && left.every((column, index) => column === right[index])
}

function updateColumn(table: TableModel, name: string, change: Partial<ColumnModel>): TableModel {
  return {
    ...table,
    columns: table.columns.map((column) => (column.name === name ? { ...column, ...change } : column)),
  }
}

/** Drops relationships and, as a user must, the identities and indexes over their keys. */
function withoutBelongsTo(table: TableModel, drop: (rel: BelongsToModel) => boolean): TableModel {
  const dropped = table.belongsTo.filter(drop).map((rel) => foreignKeyColumn(rel.name))
  if (dropped.length === 0) return table
  return withoutIndexesOn({ ...table, belongsTo: table.belongsTo.filter((rel) => !drop(rel)) }, dropped)
}

function withoutIndexesOn(table: TableModel, columns: readonly string[]): TableModel {
  const untouched = (indexed: readonly string[]) => !indexed.some((column) => columns.includes(column))
  return {
    ...table,
    identities: table.identities.filter((identity) => untouched(identity.columns)),
    customIndexes: table.customIndexes.filter((index) => untouched(index.columns)),
  }
}

function renameIndexedColumn(table: TableModel, from: string, to: string): TableModel {
  const rename = (columns: readonly string[]) => columns.map((column) => (column === from ? to : column))
  return {
    ...table,
    identities: table.identities.map((identity) => ({ ...identity, columns: rename(identity.columns) })),
    customIndexes: table.customIndexes.map((index) => ({ ...index, columns: rename(index.columns) })),
  }
}

/** One line per command, for failure messages and regression tests. */
export function describeCommand(command: Command): string {
  const { kind, ...rest } = command
  return `${kind} ${JSON.stringify(rest)}`
}
