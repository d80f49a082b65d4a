import type { TableState } from '@ash-sqlite/resource'
import type { RenamePlan } from './rename-plan.js'
import { pairColumns, pairTables, type Tables } from './table-pairs.js'

/**
 * `--dont-drop-columns` (AshPostgres semantics): a column removed from the resources stays in the database.
 * The diff's `to` side gets the removed columns back (at the end, with their old definitions), so the differ
 * sees nothing to drop and the down migration nothing to add back. The resource snapshots still record the
 * resources' state without them: from the next run on, the column is simply unknown to ash-sqlite (a later
 * rebuild of the table does not copy it). Returns `current` itself when no column was removed.
 */
export function keepDroppedColumns(previous: Tables, current: Tables, plan: RenamePlan): Tables {
  let kept: Map<string, TableState> | undefined
  for (const pair of pairTables(previous, current, plan)) {
    if (pair.from === undefined || pair.to === undefined) continue
    const dropped = pairColumns(pair, plan).flatMap((column) => (column.to === undefined ? [column.from!] : []))
    if (dropped.length === 0) continue
    kept ??= new Map(current)
    kept.set(pair.to.table, { ...pair.to, columns: [...pair.to.columns, ...dropped] })
  }
  return kept ?? current
}
