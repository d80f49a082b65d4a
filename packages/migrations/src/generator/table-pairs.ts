import type { ColumnState, TableState } from '@ash-sqlite/resource'
import { type RenamePlan, sourceColumnName, sourceTableName } from './rename-plan.js'

/** One table on both sides of a diff: `from` is absent for a created table, `to` for a dropped one. */
export interface TablePair {
  readonly from: TableState | undefined
  readonly to: TableState | undefined
}

export interface ColumnPair {
  readonly from: ColumnState | undefined
  readonly to: ColumnState | undefined
}

export type Tables = ReadonlyMap<string, TableState>

export function tablesByName(states: Iterable<TableState>): Map<string, TableState> {
  return new Map([...states].map((state) => [state.table, state]))
}

/** Matches the tables of two sides, following the plan's table renames. `to` tables first, then dropped ones. */
export function pairTables(from: Tables, to: Tables, plan: RenamePlan): TablePair[] {
  const pairs: TablePair[] = []
  const matched = new Set<string>()
  for (const table of to.values()) {
    const source = from.get(sourceTableName(plan, table.table))
    if (source !== undefined) matched.add(source.table)
    pairs.push({ from: source, to: table })
  }
  for (const table of from.values()) if (!matched.has(table.table)) pairs.push({ from: table, to: undefined })
  return pairs
}

/** Matches the columns of a table on both sides, following the plan's column renames. */
export function pairColumns(pair: TablePair, plan: RenamePlan): ColumnPair[] {
  const fromColumns = new Map((pair.from?.columns ?? []).map((column) => [column.source, column]))
  const pairs: ColumnPair[] = []
  const matched = new Set<string>()
  for (const column of pair.to?.columns ?? []) {
    const source =
      pair.from === undefined ? undefined : fromColumns.get(sourceColumnName(plan, pair.to!.table, column.source))
    if (source !== undefined) matched.add(source.source)
    pairs.push({ from: source, to: column })
  }
  for (const column of fromColumns.values())
    if (!matched.has(column.source)) pairs.push({ from: column, to: undefined })
  return pairs
}
