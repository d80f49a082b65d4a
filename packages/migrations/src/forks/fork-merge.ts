import type { ColumnState, TableState } from '@ash-sqlite/resource'
import { canonicalJson } from '@ash-sqlite/snapshot'

/**
 * What to do with a table that two (or more) merged branches each changed from a common base snapshot.
 * - `union`: the branches commute (each only added columns, indexes or custom statements, with names no
 *   other branch added, and nothing that SQLite must rebuild the table for): applying the branches'
 *   migrations in any order gives the union, which is the table's state now. No migration is needed for it.
 * - `conflict`: applying both migrations would fail (the same column added twice) or silently undo one
 *   branch (a rebuild copies the whole table shape as its branch saw it): one migration must be rebased.
 */
export type ForkResolution = { kind: 'union'; state: TableState } | { kind: 'conflict'; reason: string }

/** One side of a fork: a head's state and how to name it in messages (its migration, or snapshot file). */
export interface ForkSide {
  readonly label: string
  readonly state: TableState
}

/** Lists of a table state whose items are matched by name, and the field that names them. */
const NAMED_LISTS = {
  columns: 'source',
  identities: 'name',
  customIndexes: 'name',
  customStatements: 'name',
} as const

type NamedList = keyof typeof NAMED_LISTS

const WHAT: Record<NamedList, string> = {
  columns: 'column',
  identities: 'identity',
  customIndexes: 'custom index',
  customStatements: 'custom statement',
}

/**
 * Decides a fork from the snapshot states alone (no SQL is planned): `base` is the newest snapshot every
 * side descends from, or null when the branches each created the table.
 */
export function mergeFork(base: TableState | null, sides: readonly ForkSide[]): ForkResolution {
  const table = sides[0]?.state.table ?? '?'
  if (base === null) {
    return conflict(`${labels(sides)} each create table ${table}`)
  }
  const added = new Map<string, string>()
  const union = structuredClone(base) as TableState & Record<string, unknown>
  for (const side of sides) {
    const problem = sideProblem(base, side)
    if (problem !== undefined) return conflict(`${side.label} ${problem}`)
    for (const list of Object.keys(NAMED_LISTS) as NamedList[]) {
      for (const item of additions(base, side.state, list)) {
        const key = `${WHAT[list]} ${nameOf(list, item)}`
        const earlier = added.get(key)
        if (earlier !== undefined) return conflict(`${earlier} and ${side.label} both add ${key} to table ${table}`)
        added.set(key, side.label)
        ;(union[list] as unknown[]).push(item)
      }
    }
    union.resources = [...new Set([...union.resources, ...side.state.resources])].sort()
  }
  return { kind: 'union', state: union }
}

/** Why one side does more than add: a change to anything the base had, a drop, or an addition SQLite rebuilds for. */
function sideProblem(base: TableState, side: ForkSide): string | undefined {
  const state = side.state
  if (state.columns.length === 0) return `drops table ${base.table}`
  const record = state as unknown as Record<string, unknown>
  const baseRecord = base as unknown as Record<string, unknown>
  for (const field of new Set([...Object.keys(baseRecord), ...Object.keys(record)])) {
    if (field === 'resources' || field in NAMED_LISTS) continue
    if (canonicalJson(baseRecord[field]) !== canonicalJson(record[field])) {
      return `changes ${field} of table ${base.table} (SQLite rebuilds the table for it)`
    }
  }
  for (const list of Object.keys(NAMED_LISTS) as NamedList[]) {
    const items = new Map((state[list] as unknown[]).map((item) => [nameOf(list, item), item]))
    for (const before of base[list] as unknown[]) {
      const name = nameOf(list, before)
      const after = items.get(name)
      if (after === undefined) return `removes ${WHAT[list]} ${name} of table ${base.table}`
      if (canonicalJson(after) !== canonicalJson(before)) {
        const how = list === 'columns' ? ' (SQLite rebuilds the table for it)' : ''
        return `changes ${WHAT[list]} ${name} of table ${base.table}${how}`
      }
    }
  }
  // Columns keep their order: the base's come first, in the same order (a reorder is a rebuild).
  const kept = state.columns.filter((column) => base.columns.some((old) => old.source === column.source))
  if (kept.some((column, index) => column.source !== base.columns[index]?.source)) {
    return `reorders the columns of table ${base.table} (SQLite rebuilds the table for it)`
  }
  const unaddable = additions(base, state, 'columns').find((column) => !canAlterAdd(column as ColumnState))
  if (unaddable !== undefined) {
    return `adds column ${(unaddable as ColumnState).source} to table ${base.table}, which SQLite cannot ADD to a table with rows (the table is rebuilt)`
  }
  return undefined
}

function additions(base: TableState, state: TableState, list: NamedList): unknown[] {
  const before = new Set((base[list] as unknown[]).map((item) => nameOf(list, item)))
  return (state[list] as unknown[]).filter((item) => !before.has(nameOf(list, item)))
}

function nameOf(list: NamedList, item: unknown): string {
  return String((item as Record<string, unknown>)[NAMED_LISTS[list]])
}

// Literals SQLite accepts as the default of an added column: numbers, strings, blobs, NULL, TRUE/FALSE.
const CONSTANT_DEFAULT =
  /^\(?\s*(?:[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?|'(?:[^']|'')*'|x'[0-9a-f]*'|null|true|false)\s*\)?$/i

/**
 * Whether `ALTER TABLE ... ADD COLUMN` can add the column to a table that has rows, so the branch's
 * migration is a plain ADD (no rebuild): not a key, not generated, NOT NULL only with a default, a constant
 * default, and a foreign key only on a column that starts out NULL.
 */
function canAlterAdd(column: ColumnState): boolean {
  if (column.primaryKey || column.autoincrement || column.generated !== null) return false
  if (column.default !== null && !CONSTANT_DEFAULT.test(column.default.trim())) return false
  if (!column.allowNull && column.default === null) return false
  if (column.references !== null && (column.default !== null || !column.allowNull)) return false
  return true
}

function labels(sides: readonly ForkSide[]): string {
  return sides.map((side) => side.label).join(' and ')
}

function conflict(reason: string): ForkResolution {
  return { kind: 'conflict', reason }
}
