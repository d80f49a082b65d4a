import { type ColumnState, sqliteTablesFromStates, type TableState } from '@ash-sqlite/resource'
import type { SQLiteTable } from 'drizzle-orm/sqlite-core'

/** Finds the state of a table by name, for the targets of foreign keys. */
export type TableLookup = (table: string) => TableState | undefined

/**
 * Drizzle tables for drizzle-kit to diff, built by the resource package's own builder (the one behind
 * `Resource.table`), so the generator and the resources can never disagree on the DDL of a state.
 *
 * Only `states` are returned (they are what gets diffed); foreign keys to other tables resolve through
 * `lookup`. A foreign key whose target ash-sqlite does not manage (a `migrate: false` resource) points at a
 * stand-in: drizzle-kit records only the target's table and column names.
 */
export function buildDrizzleTables(
  states: readonly TableState[],
  lookup: TableLookup = () => undefined,
): Record<string, SQLiteTable> {
  const standIns = standInStates(states, lookup)
  return sqliteTablesFromStates(states, { referencedState: (table) => standIns.get(table) ?? lookup(table) })
}

/**
 * For each referenced table outside `states` that `lookup` does not know, or knows without the referenced
 * column, a state that has the referenced columns (as text: the type is not part of a foreign key).
 */
function standInStates(states: readonly TableState[], lookup: TableLookup): Map<string, TableState> {
  const own = new Set(states.map((state) => state.table))
  const standIns = new Map<string, TableState>()
  for (const state of states) {
    for (const { references } of state.columns) {
      if (references === null || own.has(references.table)) continue
      const known = standIns.get(references.table) ?? lookup(references.table)
      if (known?.columns.some((column) => column.source === references.column)) continue
      standIns.set(references.table, withStandInColumn(known ?? emptyState(references.table), references.column))
    }
  }
  return standIns
}

function withStandInColumn(state: TableState, source: string): TableState {
  const column: ColumnState = {
    source,
    attribute: source,
    type: 'text',
    allowNull: true,
    default: null,
    primaryKey: false,
    autoincrement: false,
    generated: null,
    references: null,
  }
  // The stand-in's own foreign keys are never read; dropping them keeps it from pointing anywhere unknown.
  return { ...state, columns: [...state.columns.map((known) => ({ ...known, references: null })), column] }
}

function emptyState(table: string): TableState {
  return {
    table,
    repo: '',
    resources: [],
    columns: [],
    identities: [],
    customIndexes: [],
    customStatements: [],
    strict: false,
    baseFilterSql: null,
  }
}
