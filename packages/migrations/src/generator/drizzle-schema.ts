import type { ColumnState, ReferenceAction, ReferenceState, TableState } from '@ash-sqlite/resource'
import { sql } from 'drizzle-orm'
import {
  type AnySQLiteColumn,
  type AnySQLiteTable,
  blob,
  customType,
  foreignKey,
  index,
  integer,
  numeric,
  primaryKey,
  real,
  type SQLiteTableExtraConfigValue,
  sqliteTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core'

/** Finds the state of a table by name, for the targets of foreign keys. */
export type TableLookup = (table: string) => TableState | undefined

type DrizzleAction = 'cascade' | 'set null' | 'restrict' | 'no action'

/**
 * The builder methods this module calls. Drizzle's builders are generic over their column config; the
 * table states are data, so the types cannot flow here anyway.
 */
interface ColumnBuilder {
  primaryKey(config?: { autoIncrement?: boolean }): ColumnBuilder
  notNull(): ColumnBuilder
  default(value: unknown): ColumnBuilder
  generatedAlwaysAs(as: unknown, config: { mode: 'stored' | 'virtual' }): ColumnBuilder
  references(
    target: () => AnySQLiteColumn,
    actions: { onDelete: DrizzleAction; onUpdate: DrizzleAction },
  ): ColumnBuilder
}

type ColumnsOf = Record<string, AnySQLiteColumn>

const ACTIONS: Record<ReferenceAction, DrizzleAction> = {
  CASCADE: 'cascade',
  'SET NULL': 'set null',
  RESTRICT: 'restrict',
  'NO ACTION': 'no action',
}

/**
 * Rebuilds Drizzle tables from table states so drizzle-kit can diff them. Both sides of a diff go through
 * this one builder, so two equal states always produce equal drizzle-kit snapshots.
 *
 * Only `states` are returned (they are what gets diffed). Foreign keys to other tables resolve through
 * `lookup` to tables built on demand but not returned: drizzle-kit records a foreign key by the target's
 * table and column names, so the target need not be part of the diffed schema.
 */
export function buildDrizzleTables(
  states: readonly TableState[],
  lookup: TableLookup = () => undefined,
): Record<string, AnySQLiteTable> {
  const builder = new DrizzleTableBuilder(states, lookup)
  const tables: Record<string, AnySQLiteTable> = {}
  for (const state of states) tables[state.table] = builder.table(state.table)
  return tables
}

class DrizzleTableBuilder {
  private readonly built = new Map<string, AnySQLiteTable>()
  private readonly own: Map<string, TableState>

  constructor(
    states: readonly TableState[],
    private readonly lookup: TableLookup,
  ) {
    this.own = new Map(states.map((state) => [state.table, state]))
  }

  table(name: string): AnySQLiteTable {
    const cached = this.built.get(name)
    if (cached !== undefined) return cached
    const state = this.own.get(name) ?? this.lookup(name)
    if (state === undefined) throw new Error(`no state for table ${name}`)
    const table = this.build(state)
    this.built.set(name, table)
    return table
  }

  /** The referenced column; a one-column stand-in table when the target is not known (`migrate: false`). */
  private target(reference: ReferenceState): AnySQLiteColumn {
    const state = this.own.get(reference.table) ?? this.lookup(reference.table)
    const hasColumn = state?.columns.some((column) => column.source === reference.column) ?? false
    if (hasColumn) return (this.table(reference.table) as unknown as ColumnsOf)[reference.column]!
    const standIn = sqliteTable(reference.table, { [reference.column]: text(reference.column) })
    return (standIn as unknown as ColumnsOf)[reference.column]!
  }

  private build(state: TableState): AnySQLiteTable {
    const compositeKey = state.columns.filter((column) => column.primaryKey).length > 1
    const columns: Record<string, ColumnBuilder> = {}
    for (const column of state.columns) columns[column.source] = this.column(column, compositeKey)
    return sqliteTable(state.table, columns as never, (self) => this.constraints(state, self as unknown as ColumnsOf))
  }

  private column(state: ColumnState, compositeKey: boolean): ColumnBuilder {
    let builder = columnOfType(state.type, state.source)
    if (state.primaryKey && !compositeKey) {
      builder = state.autoincrement ? builder.primaryKey({ autoIncrement: true }) : builder.primaryKey()
    }
    if (!state.allowNull) builder = builder.notNull()
    if (state.default !== null) builder = builder.default(sql.raw(state.default))
    if (state.generated !== null) {
      builder = builder.generatedAlwaysAs(sql.raw(state.generated.as), { mode: state.generated.mode })
    }
    const reference = state.references
    if (reference !== null && reference.name === null) {
      builder = builder.references(() => this.target(reference), {
        onDelete: ACTIONS[reference.onDelete],
        onUpdate: ACTIONS[reference.onUpdate],
      })
    }
    return builder
  }

  private constraints(state: TableState, self: ColumnsOf): SQLiteTableExtraConfigValue[] {
    const constraints: SQLiteTableExtraConfigValue[] = []
    const keyColumns = state.columns.filter((column) => column.primaryKey)
    if (keyColumns.length > 1) {
      const [first, ...rest] = keyColumns.map((column) => self[column.source]!)
      constraints.push(primaryKey({ columns: [first!, ...rest] }))
    }
    for (const column of state.columns) {
      const reference = column.references
      if (reference === null || reference.name === null) continue
      constraints.push(
        foreignKey({ name: reference.name, columns: [self[column.source]!], foreignColumns: [this.target(reference)] })
          .onDelete(ACTIONS[reference.onDelete])
          .onUpdate(ACTIONS[reference.onUpdate]),
      )
    }
    for (const identity of state.identities) {
      constraints.push(indexOn(uniqueIndex(identity.indexName), identity.columns, identity.where, self))
    }
    for (const custom of state.customIndexes) {
      const start = custom.unique ? uniqueIndex(custom.name) : index(custom.name)
      constraints.push(indexOn(start, custom.columns, custom.where, self))
    }
    return constraints
  }
}

function indexOn(
  start: ReturnType<typeof index>,
  columnNames: readonly string[],
  where: string | null,
  self: ColumnsOf,
): SQLiteTableExtraConfigValue {
  const [first, ...rest] = columnNames.map((name) => self[name]!)
  const built = start.on(first!, ...rest)
  return where === null ? built : built.where(sql.raw(where))
}

const customTypes = new Map<string, (name: string) => ColumnBuilder>()

function columnOfType(type: string, name: string): ColumnBuilder {
  switch (type) {
    case 'text':
      return text(name) as unknown as ColumnBuilder
    case 'integer':
      return integer(name) as unknown as ColumnBuilder
    case 'real':
      return real(name) as unknown as ColumnBuilder
    case 'blob':
      return blob(name) as unknown as ColumnBuilder
    case 'numeric':
      return numeric(name) as unknown as ColumnBuilder
    default:
      return customColumn(type)(name)
  }
}

/** Any other SQL type (`text COLLATE NOCASE`, a `migrationTypes` override) is written as it is. */
function customColumn(type: string): (name: string) => ColumnBuilder {
  let make = customTypes.get(type)
  if (make === undefined) {
    const column = customType<{ data: unknown }>({ dataType: () => type })
    make = (name) => column(name) as unknown as ColumnBuilder
    customTypes.set(type, make)
  }
  return make
}
