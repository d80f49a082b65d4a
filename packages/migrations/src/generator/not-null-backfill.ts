import type { RenamePlan } from './rename-plan.js'
import { quote, rebuildCopyOf } from './sql-text.js'
import { pairColumns, type TablePair } from './table-pairs.js'

/**
 * A rebuild that makes a column NOT NULL copies the rows as they are, so a single existing NULL makes the
 * migration fail. When the column has a default, the user means "NULLs take the default": set them right
 * before the copy.
 */
export function backfillNotNullColumns(
  statements: readonly string[],
  pairs: readonly TablePair[],
  plan: RenamePlan,
): string[] {
  const result: string[] = []
  for (const statement of statements) {
    const copy = rebuildCopyOf(statement)
    if (copy !== null) {
      const pair = pairs.find((candidate) => candidate.to?.table === copy.table)
      if (pair !== undefined) result.push(...backfills(pair, plan, copy.source, copy.targetColumns, copy.sourceColumns))
    }
    result.push(statement)
  }
  return result
}

function backfills(
  pair: TablePair,
  plan: RenamePlan,
  source: string,
  targetColumns: readonly string[],
  sourceColumns: readonly string[],
): string[] {
  const updates: string[] = []
  for (const { from, to } of pairColumns(pair, plan)) {
    if (from === undefined || to === undefined || to.allowNull || !from.allowNull || to.default === null) continue
    const position = targetColumns.indexOf(to.source)
    const sourceColumn = sourceColumns[position]
    if (position === -1 || sourceColumn === undefined) continue
    const column = quote(sourceColumn)
    updates.push(`UPDATE ${quote(source)} SET ${column} = ${to.default} WHERE ${column} IS NULL;`)
  }
  return updates
}
