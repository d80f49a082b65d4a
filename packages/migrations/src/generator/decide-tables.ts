import { type DrizzleStatement, drizzleRebuilds } from './classify-statements.js'
import { GenerateError } from './errors.js'
import { switchesGenerated } from './generated-columns.js'
import type { RebuildReason } from './migration-plan.js'
import type { RenamePlan } from './rename-plan.js'
import { strictToggled } from './strict-tables.js'
import type { TablePair } from './table-pairs.js'
import { hasUnaddableColumn } from './unaddable-columns.js'

/**
 * Decides, once per direction, which of the changed tables are rebuilt and why: drizzle-kit's own rebuilds, and
 * the ones each workaround asks for. Every other changed table is created, dropped or altered in place by
 * drizzle-kit's statements. Keyed by the table's final name, in the order of `pairs`.
 */
export function decideRebuilds(
  pairs: readonly TablePair[],
  plan: RenamePlan,
  statements: readonly DrizzleStatement[],
): Map<string, RebuildReason[]> {
  const byDrizzleKit = drizzleRebuilds(statements)
  const rebuilds = new Map<string, RebuildReason[]>()
  for (const pair of pairs) {
    if (pair.from === undefined || pair.to === undefined) continue
    const reasons: RebuildReason[] = []
    if (byDrizzleKit.has(pair.to.table)) reasons.push('drizzle_kit')
    if (hasUnaddableColumn(pair, plan)) reasons.push('unaddable_column')
    if (strictToggled(pair)) reasons.push('strict_toggle')
    if (switchesGenerated(pair, plan)) reasons.push('generated_switch')
    if (reasons.length > 0) rebuilds.set(pair.to.table, reasons)
  }
  for (const table of byDrizzleKit) {
    if (!rebuilds.has(table)) {
      throw new GenerateError(
        `drizzle-kit rebuilds table ${table}, which is not a changed table of this migration; please report this`,
      )
    }
  }
  return rebuilds
}
