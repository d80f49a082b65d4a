import type { RenamePlan } from './rename-plan.js'
import { pairColumns, type TablePair } from './table-pairs.js'

/**
 * drizzle-kit (1.0.0-rc.5) turns a column that switches between generated and plain into
 * `ALTER TABLE DROP COLUMN` + `ALTER TABLE ADD COLUMN` (its `recreate_column`): the values are gone, and a
 * NOT NULL plain column cannot even be added back to a table with rows. Such a table is rebuilt instead: a
 * column that stops being generated is copied from its current (computed) values, one that becomes generated
 * is computed by the new table (and listed as a warning: its stored values are replaced).
 */
export function switchesGenerated(pair: TablePair, plan: RenamePlan): boolean {
  if (pair.from === undefined || pair.to === undefined) return false
  return pairColumns(pair, plan).some(
    ({ from, to }) => from !== undefined && to !== undefined && (from.generated === null) !== (to.generated === null),
  )
}
