/**
 * The rows the database should hold, predicted from the model: what each step's migration does to every cell
 * (conversions, backfilled defaults, new columns), which rows must be cleared before it because SQLite could
 * not take them into the new schema, and which random rows to insert after it.
 */
import {
  type ColumnType,
  type DefaultValue,
  foreignKeyColumn,
  GENERATED_AS,
  type SchemaModel,
  type TableModel,
} from './schema-model.js'
import {
  describeValue,
  NULL_VALUE,
  REFUSED,
  type StoredValue,
  sameKey,
  storeAs,
  valueFromSeed,
} from './stored-value.js'

export interface RowModel {
  readonly id: StoredValue
  /** Every column but `id`, by column name. */
  readonly cells: Readonly<Record<string, StoredValue>>
}

/** Table name -> rows in insertion order. */
export type DataModel = ReadonlyMap<string, readonly RowModel[]>

/** A random row: `table` picks the table, `values` feed the cells (reused round-robin). */
export interface RowSeed {
  readonly table: number
  readonly values: readonly number[]
}

/** A column of a table as the data model sees it. */
export interface CellColumn {
  readonly name: string
  readonly type: ColumnType
  readonly allowNull: boolean
  readonly default: StoredValue | null
  /** Column name when the step started, or null for a column the step adds. */
  readonly origin: string | null
  readonly nocase: boolean
  /** The target table of a belongsTo key. */
  readonly references: string | null
  /** Computed as `GENERATED_AS` from the row's key. */
  readonly generated: boolean
}

/** The value of a generated column (`GENERATED_AS`) in a row. */
export function generatedValue(id: StoredValue): StoredValue {
  if (GENERATED_AS !== "'g' || id") throw new Error('generatedValue does not model GENERATED_AS any more')
  return { class: 'text', value: `g${String((id as { value: unknown }).value)}` }
}

export function cellColumns(model: SchemaModel, table: TableModel): CellColumn[] {
  const own = table.columns.map(
    (column): CellColumn => ({
      name: column.name,
      type: column.type,
      allowNull: column.allowNull,
      default: column.default === null ? null : defaultStoredValue(column.type, column.default),
      origin: column.origin,
      nocase: column.type === 'ciString',
      references: null,
      generated: column.generated,
    }),
  )
  const keys = table.belongsTo.map(
    (rel): CellColumn => ({
      name: foreignKeyColumn(rel.name),
      type: keyType(model, rel.target),
      allowNull: rel.allowNull,
      default: null,
      origin: rel.origin === null ? null : foreignKeyColumn(rel.origin),
      nocase: false,
      references: rel.target,
      generated: false,
    }),
  )
  return [...own, ...keys]
}

/** The DSL type of a table's `id` (a belongsTo key has its destination's type). */
export function keyType(model: SchemaModel, table: string): ColumnType {
  const target = model.tables.find((candidate) => candidate.name === table)
  if (target === undefined) throw new Error(`no table ${table} in the model`)
  return target.key === 'integer' ? 'integer' : 'string'
}

/** How a literal default is stored in a column of its type. */
export function defaultStoredValue(type: ColumnType, value: DefaultValue): StoredValue {
  if (typeof value === 'boolean') return { class: 'integer', value: value ? 1 : 0 }
  if (type === 'binary') return { class: 'blob', value: String(value) }
  if (typeof value === 'string') return { class: 'text', value }
  return type === 'float' ? { class: 'real', value } : { class: 'integer', value }
}

/** Unique column sets of a table: identities and unique custom indexes. */
export function uniqueColumnSets(table: TableModel): (readonly string[])[] {
  return [
    ...table.identities.map((identity) => identity.columns),
    ...table.customIndexes.filter((index) => index.unique).map((index) => index.columns),
  ]
}

export interface StepDataPlan {
  /**
   * Rows to delete before the migration (by their table's name when the step started): the ones SQLite could
   * not copy into the new schema (a value a STRICT column refuses, a NULL in a column made NOT NULL without a
   * default, a duplicate under a new unique index), and every row that references a deleted row.
   */
  readonly deletions: ReadonlyMap<string, readonly StoredValue[]>
  /** The data the migration must leave, by the new table names. */
  readonly after: DataModel
}

/** `start` and `after` are the models before and after one step (`after` carries the step's origins). */
export function planStepData(start: SchemaModel, after: SchemaModel, data: DataModel): StepDataPlan {
  const deleted = new Map<string, Set<string>>()
  const isDeleted = (table: string, id: StoredValue) => deleted.get(table)?.has(describeValue(id)) === true
  const markDeleted = (table: string, id: StoredValue): boolean => {
    const ids = deleted.get(table) ?? new Set<string>()
    deleted.set(table, ids)
    const before = ids.size
    ids.add(describeValue(id))
    return ids.size > before
  }

  let result = new Map<string, RowModel[]>()
  for (let changed = true; changed; ) {
    changed = false
    result = new Map()
    for (const table of after.tables) {
      const columns = cellColumns(after, table)
      const kept: RowModel[] = []
      const source = table.origin === null ? [] : (data.get(table.origin) ?? [])
      for (const row of source) {
        if (isDeleted(table.origin!, row.id)) continue
        const next = carryRow(row, columns, fromColumnsOf(start, table.origin!), table.strict)
        const clash = next !== null && kept.find((other) => violatesUnique(table, columns, next, other))
        if (next === null || clash) changed = markDeleted(table.origin!, row.id) || changed
        else kept.push(next)
      }
      result.set(table.name, kept)
    }
    changed = deleteDependents(start, data, isDeleted, markDeleted) || changed
  }

  const deletions = new Map<string, StoredValue[]>()
  for (const [table, ids] of deleted) {
    const rows = (data.get(table) ?? []).filter((row) => ids.has(describeValue(row.id)))
    if (rows.length > 0)
      deletions.set(
        table,
        rows.map((row) => row.id),
      )
  }
  return { deletions, after: result }
}

function fromColumnsOf(start: SchemaModel, table: string): CellColumn[] {
  const before = start.tables.find((candidate) => candidate.name === table)
  return before === undefined ? [] : cellColumns(start, before)
}

/**
 * A row after the migration, or null when SQLite cannot store it. A NULL that meets a new NOT NULL takes the
 * column's default when it has one (the generator backfills it before the rebuild copies the rows).
 */
function carryRow(
  row: RowModel,
  columns: readonly CellColumn[],
  fromColumns: readonly CellColumn[],
  strict: boolean,
): RowModel | null {
  const cells: Record<string, StoredValue> = {}
  for (const column of columns) {
    if (column.generated) {
      cells[column.name] = generatedValue(row.id)
      continue
    }
    // A column that stops being generated keeps its computed values (the generator copies them).
    const from = column.origin === null ? undefined : fromColumns.find((candidate) => candidate.name === column.origin)
    let value: StoredValue = from === undefined ? (column.default ?? NULL_VALUE) : (row.cells[from.name] ?? NULL_VALUE)
    if (value.class === 'null' && !column.allowNull && from?.allowNull === true && column.default !== null) {
      value = column.default
    }
    const stored = storeAs(value, column.type, strict)
    if (stored === REFUSED || (stored.class === 'null' && !column.allowNull)) return null
    cells[column.name] = stored
  }
  return { id: row.id, cells }
}

function violatesUnique(table: TableModel, columns: readonly CellColumn[], left: RowModel, right: RowModel): boolean {
  return uniqueColumnSets(table).some((set) =>
    set.every((name) => {
      const column = columns.find((candidate) => candidate.name === name)!
      return sameKey(left.cells[name] ?? NULL_VALUE, right.cells[name] ?? NULL_VALUE, column.nocase)
    }),
  )
}

/** Marks the rows that reference a deleted row (through the foreign keys the step started with). */
function deleteDependents(
  start: SchemaModel,
  data: DataModel,
  isDeleted: (table: string, id: StoredValue) => boolean,
  markDeleted: (table: string, id: StoredValue) => boolean,
): boolean {
  let changed = false
  for (let again = true; again; ) {
    again = false
    for (const table of start.tables) {
      for (const rel of table.belongsTo) {
        const column = foreignKeyColumn(rel.name)
        for (const row of data.get(table.name) ?? []) {
          const key = row.cells[column] ?? NULL_VALUE
          if (key.class === 'null' || isDeleted(table.name, row.id) || !isDeleted(rel.target, key)) continue
          markDeleted(table.name, row.id)
          again = true
          changed = true
        }
      }
    }
  }
  return changed
}

export interface SeededRows {
  /** Rows to insert, in order. */
  readonly inserts: readonly { readonly table: string; readonly row: RowModel }[]
  readonly data: DataModel
  readonly nextId: number
}

/**
 * Random rows that fit the model: NOT NULL columns get values, keys point at existing rows (or at the row
 * itself, for a self reference), and a row that would break a unique index or has no row to point at is
 * skipped. `nextId` numbers rows across all tables, so an id is never reused.
 */
export function seedRows(model: SchemaModel, data: DataModel, seeds: readonly RowSeed[], nextId: number): SeededRows {
  const tables = new Map([...data].map(([name, rows]) => [name, [...rows]]))
  const inserts: { table: string; row: RowModel }[] = []
  let id = nextId
  for (const seed of seeds) {
    const table = model.tables[seed.table % Math.max(model.tables.length, 1)]
    if (table === undefined) break
    const rows = tables.get(table.name) ?? []
    const rowId: StoredValue =
      table.key === 'integer' ? { class: 'integer', value: id } : { class: 'text', value: `u${id}` }
    id++
    const row = randomRow(model, table, rowId, seed.values, tables)
    if (row === null || rows.some((other) => violatesUnique(table, cellColumns(model, table), row, other))) continue
    rows.push(row)
    tables.set(table.name, rows)
    inserts.push({ table: table.name, row })
  }
  return { inserts, data: tables, nextId: id }
}

function randomRow(
  model: SchemaModel,
  table: TableModel,
  id: StoredValue,
  values: readonly number[],
  tables: ReadonlyMap<string, readonly RowModel[]>,
): RowModel | null {
  const cells: Record<string, StoredValue> = {}
  const columns = cellColumns(model, table)
  for (const [position, column] of columns.entries()) {
    // Spread the few seeds over the columns without making neighbouring cells equal.
    const seed = (values[position % Math.max(values.length, 1)] ?? 0) + position * 7919
    if (column.generated) {
      cells[column.name] = generatedValue(id)
      continue
    }
    if (column.allowNull && seed % 5 === 4) {
      cells[column.name] = NULL_VALUE
      continue
    }
    if (column.references === null) {
      cells[column.name] = storeAs(valueFromSeed(column.type, seed), column.type, table.strict) as StoredValue
      continue
    }
    const targets = [...(tables.get(column.references) ?? [])].map((row) => row.id)
    if (column.references === table.name) targets.push(id)
    const target = targets[seed % Math.max(targets.length, 1)]
    if (target === undefined && !column.allowNull) return null
    cells[column.name] = target ?? NULL_VALUE
  }
  return { id, cells }
}
