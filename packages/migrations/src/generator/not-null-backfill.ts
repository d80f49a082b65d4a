import type { RenamePlan } from './rename-plan.js'
import { quote, REBUILD_PREFIX, rebuildCopyOf } from './sql-text.js'
import { pairColumns, type TablePair } from './table-pairs.js'

/**
 * A rebuild that makes a column NOT NULL copies the rows as they are, so a single existing NULL makes the
 * migration fail. When the column has a default, the user means "NULLs take the default": the copy reads
 * `COALESCE(column, default)`. The default is written into the new column only, so it needs to fit the new
 * column, never the old one (a STRICT table refuses an UPDATE of its old column to a default of another type).
 */
export function backfillNotNullColumns(
  statements: readonly string[],
  pairs: readonly TablePair[],
  plan: RenamePlan,
): string[] {
  return statements.map((statement) => {
    const copy = rebuildCopyOf(statement)
    const pair = copy === null ? undefined : pairs.find((candidate) => candidate.to?.table === copy.table)
    if (copy === null || pair === undefined) return statement
    const defaults = backfilledDefaults(pair, plan)
    if (defaults.size === 0) return statement
    const sources = copy.sourceColumns.map((source, position) => {
      const fallback = defaults.get(copy.targetColumns[position] ?? '')
      return fallback === undefined ? quote(source) : `COALESCE(${quote(source)}, ${fallback})`
    })
    const targets = copy.targetColumns.map(quote).join(', ')
    return `INSERT INTO ${quote(REBUILD_PREFIX + copy.table)}(${targets}) SELECT ${sources.join(', ')} FROM ${quote(copy.source)};`
  })
}

/** Target column -> its default, for the columns that become NOT NULL and have a default. */
function backfilledDefaults(pair: TablePair, plan: RenamePlan): Map<string, string> {
  const defaults = new Map<string, string>()
  for (const { from, to } of pairColumns(pair, plan)) {
    if (from === undefined || to === undefined || to.allowNull || !from.allowNull || to.default === null) continue
    defaults.set(to.source, to.default)
  }
  return defaults
}
