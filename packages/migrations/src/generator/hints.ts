import type { Hint } from './drizzle-kit.js'
import type { RenamePlan } from './rename-plan.js'
import { pairColumns, pairTables, type Tables } from './table-pairs.js'

/** SQLite has no schemas; drizzle-kit's entity tuples carry this placeholder in the schema slot. */
const SCHEMA = 'public'

/**
 * Every decision drizzle-kit could ask about, answered from the plan: a rename hint for each planned rename,
 * and a create hint for every other new table and column (drizzle-kit ignores create hints it did not
 * need, so answering all of them up front saves a round trip per ambiguity).
 */
export function hintsFor(from: Tables, to: Tables, plan: RenamePlan): Hint[] {
  const hints: Hint[] = []
  for (const pair of pairTables(from, to, plan)) {
    if (pair.to === undefined) continue
    const table = pair.to.table
    if (pair.from === undefined) {
      hints.push({ type: 'create', kind: 'table', entity: [SCHEMA, table] })
      continue
    }
    if (pair.from.table !== table) {
      hints.push({ type: 'rename', kind: 'table', from: [SCHEMA, pair.from.table], to: [SCHEMA, table] })
    }
    for (const column of pairColumns(pair, plan)) {
      if (column.to === undefined) continue
      const name = column.to.source
      if (column.from === undefined) {
        hints.push({ type: 'create', kind: 'column', entity: [SCHEMA, table, name] })
      } else if (column.from.source !== name) {
        // drizzle-kit applies table renames first, so both ends name the table by its new name.
        hints.push({
          type: 'rename',
          kind: 'column',
          from: [SCHEMA, table, column.from.source],
          to: [SCHEMA, table, name],
        })
      }
    }
  }
  return hints
}
