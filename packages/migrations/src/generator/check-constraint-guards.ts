import type { TableState } from '@ash-sqlite/resource'
import { quote, REBUILD_PREFIX } from './sql-text.js'
import type { TablePair } from './table-pairs.js'

/**
 * A CHECK constraint added to or changed on a table that already exists arrives through a rebuild, whose copy
 * (`INSERT INTO __new_t SELECT ... FROM t`) stops at the first row that breaks it with only "CHECK constraint
 * failed: <name>". Before that copy, a guard statement looks for such a row and fails naming the constraint,
 * the table and the row's rowid, so the migration rolls back with an error that says which row to fix.
 *
 * SQLite has no statement that raises a message of our making outside a trigger, so the guard makes
 * `json_extract` reject a JSON path that carries the message: "bad JSON path: 'check constraint ... rowid 3'".
 * It works the same on SQLite, libSQL and D1, and costs one scan of the table, only when a check changed.
 */
export function guardCheckConstraints(ddl: readonly string[], pairs: readonly TablePair[]): string[] {
  const statements = [...ddl]
  for (const { from, to } of pairs) {
    if (from === undefined || to === undefined) continue
    const guards = changedChecks(from, to).map((constraint) => guardStatement(from.table, constraint))
    if (guards.length === 0) continue
    const copy = statements.findIndex((statement) =>
      statement.startsWith(`INSERT INTO ${quote(`${REBUILD_PREFIX}${to.table}`)}`),
    )
    // Without a copy there are no rows to check (drizzle-kit always rebuilds for a changed check).
    if (copy !== -1) statements.splice(copy, 0, ...guards)
  }
  return statements
}

type CheckConstraint = NonNullable<TableState['checkConstraints']>[number]

/** Checks of `to` that `from` does not have with the same condition. */
function changedChecks(from: TableState, to: TableState): CheckConstraint[] {
  const before = new Map((from.checkConstraints ?? []).map((constraint) => [constraint.name, constraint.check]))
  return (to.checkConstraints ?? []).filter((constraint) => before.get(constraint.name) !== constraint.check)
}

function guardStatement(table: string, constraint: CheckConstraint): string {
  const message = `check constraint ${constraint.name} fails for the row of ${table} with rowid `
  // A row breaks a CHECK when its condition is false; NULL passes, as in SQLite.
  return `SELECT json_extract('{}', '${message}' || rowid) FROM ${quote(table)} WHERE NOT (${constraint.check}) LIMIT 1;`
}
