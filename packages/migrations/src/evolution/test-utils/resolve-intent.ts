/**
 * fast-check generates intents (a command kind and a few natural numbers); this turns each into a command
 * that is valid for the current model, or null when the model offers nothing to apply it to. Choosing by
 * index keeps every generated sequence valid however it is shrunk, and seeds shrink towards the first
 * choice of each list.
 */
import {
  COLUMN_TYPES,
  type ColumnType,
  type Command,
  customIndexName,
  type DefaultValue,
  foreignKeyColumn,
  nonKeyColumns,
  ON_DELETE_OPTIONS,
  type OnDelete,
  type SchemaModel,
  type TableModel,
} from './schema-model.js'
import { valueFromSeed } from './stored-value.js'

export type IntentKind = Command['kind']

export interface Intent {
  readonly kind: IntentKind
  /** Natural numbers; each kind reads the ones it needs by position (missing ones count as 0). */
  readonly seeds: readonly number[]
}

export const TABLE_NAMES: readonly string[] = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot']
export const COLUMN_NAMES: readonly string[] = ['amber', 'basil', 'cedar', 'dune', 'ember', 'fern', 'gale', 'hazel']
export const RELATIONSHIP_NAMES: readonly string[] = ['owner', 'parent', 'author', 'buyer']
export const IDENTITY_NAMES: readonly string[] = ['k1', 'k2', 'k3']
export const WATCH_NAMES: readonly string[] = ['w1', 'w2', 'w3', 'w4']

const MAX_TABLES = 4
const MAX_COLUMNS = 5
const MAX_BELONGS_TO = 2
const MAX_IDENTITIES = 2
const MAX_CUSTOM_INDEXES = 2
const MAX_WATCHES = 2

/**
 * `stepStart` is the model when the step began: a name that existed then cannot be given to a new table,
 * column or relationship in the same step. The diff of two states would see one altered entity, not a drop
 * and an add; and a rename plus a new entity under the old name (or a swap) is refused by the generator with
 * a RenameConflictError, which regressions.test.ts asserts.
 */
export function resolveIntent(model: SchemaModel, stepStart: SchemaModel, intent: Intent): Command | null {
  const seed = (position: number): number => intent.seeds[position] ?? 0
  const tables = model.tables
  switch (intent.kind) {
    case 'addTable': {
      const name = pick(freeNames(TABLE_NAMES, [...tableNames(model), ...tableNames(stepStart)]), seed(0))
      if (name === undefined || tables.length >= MAX_TABLES) return null
      return { kind: 'addTable', table: name, key: seed(1) % 2 === 0 ? 'integer' : 'uuid', strict: seed(2) % 3 === 0 }
    }
    case 'dropTable': {
      const table = pick(tables, seed(0))
      return table === undefined ? null : { kind: 'dropTable', table: table.name }
    }
    case 'renameTable': {
      const table = pick(tables, seed(0))
      const to = pick(freeNames(TABLE_NAMES, [...tableNames(model), ...tableNames(stepStart)]), seed(1))
      return table && to !== undefined ? { kind: 'renameTable', table: table.name, to } : null
    }
    case 'setStrict': {
      const table = pick(tables, seed(0))
      return table === undefined ? null : { kind: 'setStrict', table: table.name, strict: !table.strict }
    }
    case 'addColumn': {
      const table = pick(
        tables.filter((candidate) => candidate.columns.length < MAX_COLUMNS),
        seed(0),
      )
      if (table === undefined) return null
      const name = pick(freeNames(COLUMN_NAMES, takenColumnNames(table, stepStart)), seed(1))
      const type = pick(COLUMN_TYPES, seed(2))!
      if (name === undefined) return null
      const allowNull = seed(3) % 3 !== 0
      return {
        kind: 'addColumn',
        table: table.name,
        column: name,
        type,
        allowNull,
        default: defaultFromSeed(type, seed(4)),
      }
    }
    case 'dropColumn': {
      const target = pick(plainColumns(model), seed(0))
      return target === undefined ? null : { kind: 'dropColumn', table: target.table.name, column: target.column }
    }
    case 'renameColumn': {
      const target = pick(plainColumns(model), seed(0))
      if (target === undefined) return null
      const to = pick(freeNames(COLUMN_NAMES, takenColumnNames(target.table, stepStart)), seed(1))
      return to === undefined ? null : { kind: 'renameColumn', table: target.table.name, column: target.column, to }
    }
    case 'changeType': {
      const target = pick(storedColumns(model), seed(0))
      if (target === undefined) return null
      const current = target.table.columns.find((column) => column.name === target.column)!
      const type = pick(
        COLUMN_TYPES.filter((candidate) => candidate !== current.type),
        seed(1),
      )!
      const column = target.column
      return { kind: 'changeType', table: target.table.name, column, type, default: defaultFromSeed(type, seed(2)) }
    }
    case 'setNullability': {
      const candidates = [
        ...storedColumns(model),
        ...tables.flatMap((table) =>
          // A nilify relationship's key must allow null (the DSL refuses it otherwise).
          table.belongsTo
            .filter((rel) => rel.onDelete !== 'nilify')
            .map((rel) => ({ table, column: foreignKeyColumn(rel.name) })),
        ),
      ]
      const target = pick(candidates, seed(0))
      if (target === undefined) return null
      const allowNull = !currentAllowNull(target.table, target.column)
      return { kind: 'setNullability', table: target.table.name, column: target.column, allowNull }
    }
    case 'setDefault': {
      const target = pick(storedColumns(model), seed(0))
      if (target === undefined) return null
      const current = target.table.columns.find((column) => column.name === target.column)!
      const next = defaultFromSeed(current.type, seed(1))
      const value = next === current.default ? null : next
      if (value === current.default) return null
      return { kind: 'setDefault', table: target.table.name, column: target.column, default: value }
    }
    case 'addIdentity': {
      const table = pick(
        tables.filter(
          (candidate) => candidate.identities.length < MAX_IDENTITIES && nonKeyColumns(candidate).length > 0,
        ),
        seed(0),
      )
      if (table === undefined) return null
      const name = pick(
        freeNames(
          IDENTITY_NAMES,
          table.identities.map((identity) => identity.name),
        ),
        seed(1),
      )
      if (name === undefined) return null
      return { kind: 'addIdentity', table: table.name, name, columns: indexColumns(table, seed(2), seed(3)) }
    }
    case 'dropIdentity': {
      const target = pick(
        tables.flatMap((table) => table.identities.map((identity) => ({ table, identity }))),
        seed(0),
      )
      return target === undefined
        ? null
        : { kind: 'dropIdentity', table: target.table.name, name: target.identity.name }
    }
    case 'addIndex': {
      const table = pick(
        tables.filter(
          (candidate) => candidate.customIndexes.length < MAX_CUSTOM_INDEXES && nonKeyColumns(candidate).length > 0,
        ),
        seed(0),
      )
      if (table === undefined) return null
      const index = {
        columns: indexColumns(table, seed(1), seed(2)),
        unique: seed(3) % 3 === 0,
        partial: seed(4) % 4 === 1,
      }
      const name = customIndexName(table.name, index)
      if (table.customIndexes.some((existing) => customIndexName(table.name, existing) === name)) return null
      return { kind: 'addIndex', table: table.name, ...index }
    }
    case 'dropIndex': {
      const target = pick(
        tables.flatMap((table) => table.customIndexes.map((index) => ({ table, index }))),
        seed(0),
      )
      if (target === undefined) return null
      const { columns, unique } = target.index
      return { kind: 'dropIndex', table: target.table.name, columns, unique }
    }
    case 'addBelongsTo': {
      const table = pick(
        tables.filter((candidate) => candidate.belongsTo.length < MAX_BELONGS_TO),
        seed(0),
      )
      if (table === undefined) return null
      const name = pick(freeNames(RELATIONSHIP_NAMES, takenRelationshipNames(table, stepStart)), seed(1))
      const target = pick(tables, seed(2))!
      if (name === undefined) return null
      const allowNull = seed(3) % 3 !== 0
      const onDelete = pick(onDeleteOptions(allowNull), seed(4))!
      return { kind: 'addBelongsTo', table: table.name, name, target: target.name, allowNull, onDelete }
    }
    case 'dropBelongsTo': {
      const target = pick(relationships(model), seed(0))
      return target === undefined ? null : { kind: 'dropBelongsTo', table: target.table.name, name: target.name }
    }
    case 'renameBelongsTo': {
      const target = pick(relationships(model), seed(0))
      if (target === undefined) return null
      const to = pick(freeNames(RELATIONSHIP_NAMES, takenRelationshipNames(target.table, stepStart)), seed(1))
      return to === undefined ? null : { kind: 'renameBelongsTo', table: target.table.name, name: target.name, to }
    }
    case 'setGenerated': {
      // Text columns without a default become generated; generated ones become plain.
      const candidates = tables.flatMap((table) =>
        table.columns
          .filter(
            (column) =>
              column.generated || ((column.type === 'string' || column.type === 'ciString') && column.default === null),
          )
          .map((column) => ({ table, column })),
      )
      const target = pick(candidates, seed(0))
      if (target === undefined) return null
      const { table, column } = target
      return { kind: 'setGenerated', table: table.name, column: column.name, generated: !column.generated }
    }
    case 'addWatch': {
      const table = pick(
        tables.filter((candidate) => candidate.watches.length < MAX_WATCHES),
        seed(0),
      )
      if (table === undefined) return null
      const taken = [...model.tables, ...stepStart.tables].flatMap((candidate) => candidate.watches.map((w) => w.name))
      const name = pick(freeNames(WATCH_NAMES, taken), seed(1))
      const target = pick(tables, seed(2))!
      return name === undefined ? null : { kind: 'addWatch', table: table.name, name, target: target.name }
    }
    case 'dropWatch': {
      const target = pick(
        tables.flatMap((table) => table.watches.map((watch) => ({ table, watch }))),
        seed(0),
      )
      return target === undefined ? null : { kind: 'dropWatch', table: target.table.name, name: target.watch.name }
    }
    case 'setOnDelete': {
      const target = pick(relationships(model), seed(0))
      if (target === undefined) return null
      const rel = target.table.belongsTo.find((candidate) => candidate.name === target.name)!
      const onDelete = pick(
        onDeleteOptions(rel.allowNull).filter((option) => option !== rel.onDelete),
        seed(1),
      )!
      return { kind: 'setOnDelete', table: target.table.name, name: target.name, onDelete }
    }
  }
}

/** A default of the type, or none for a third of the seeds. */
export function defaultFromSeed(type: ColumnType, seed: number): DefaultValue | null {
  if (seed % 3 === 0) return null
  const value = valueFromSeed(type, Math.floor(seed / 3))
  if (value.class === 'null') return null
  return type === 'boolean' ? value.value === 1 : value.value
}

function pick<T>(list: readonly T[], seed: number): T | undefined {
  return list.length === 0 ? undefined : list[seed % list.length]
}

function freeNames(pool: readonly string[], taken: readonly string[]): string[] {
  return pool.filter((name) => !taken.includes(name))
}

function tableNames(model: SchemaModel): string[] {
  return model.tables.map((table) => table.name)
}

function stepStartTable(table: TableModel, stepStart: SchemaModel): TableModel | undefined {
  return table.origin === null ? undefined : stepStart.tables.find((candidate) => candidate.name === table.origin)
}

function takenColumnNames(table: TableModel, stepStart: SchemaModel): string[] {
  const before = stepStartTable(table, stepStart)
  return [...table.columns, ...(before?.columns ?? [])].map((column) => column.name)
}

function takenRelationshipNames(table: TableModel, stepStart: SchemaModel): string[] {
  const before = stepStartTable(table, stepStart)
  return [...table.belongsTo, ...(before?.belongsTo ?? [])].map((rel) => rel.name)
}

function plainColumns(model: SchemaModel): { table: TableModel; column: string }[] {
  return model.tables.flatMap((table) => table.columns.map((column) => ({ table, column: column.name })))
}

/** Columns that store their values (not generated): the ones types, defaults and nullability apply to. */
function storedColumns(model: SchemaModel): { table: TableModel; column: string }[] {
  return model.tables.flatMap((table) =>
    table.columns.filter((column) => !column.generated).map((column) => ({ table, column: column.name })),
  )
}

function relationships(model: SchemaModel): { table: TableModel; name: string }[] {
  return model.tables.flatMap((table) => table.belongsTo.map((rel) => ({ table, name: rel.name })))
}

function currentAllowNull(table: TableModel, column: string): boolean {
  const own = table.columns.find((candidate) => candidate.name === column)
  if (own !== undefined) return own.allowNull
  return table.belongsTo.find((rel) => foreignKeyColumn(rel.name) === column)!.allowNull
}

/** One column, or two when the second seed is odd and the table has another. */
function indexColumns(table: TableModel, first: number, second: number): string[] {
  const columns = nonKeyColumns(table)
  const head = pick(columns, first)!
  const rest = columns.filter((column) => column !== head)
  const tail = second % 2 === 1 ? pick(rest, Math.floor(second / 2)) : undefined
  return tail === undefined ? [head] : [head, tail]
}

/** `nilify` (SET NULL) needs a key that allows null. */
function onDeleteOptions(allowNull: boolean): OnDelete[] {
  return ON_DELETE_OPTIONS.filter((option) => allowNull || option !== 'nilify')
}
