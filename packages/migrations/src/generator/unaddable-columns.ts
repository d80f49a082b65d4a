import type { ColumnState } from '@ash-sqlite/resource'
import type { DrizzleKit } from './drizzle-kit.js'
import type { TableLookup } from './drizzle-schema.js'
import type { RenamePlan } from './rename-plan.js'
import { columnAddedTo, indexCreatedOn } from './sql-text.js'
import { rebuiltTables } from './strict-tables.js'
import { pairColumns, type TablePair } from './table-pairs.js'
import { rebuildTable } from './table-rebuild.js'

/**
 * SQLite's `ALTER TABLE ... ADD COLUMN` refuses, on a table that has rows, a column whose default is not a
 * constant (`CURRENT_TIMESTAMP`, `(datetime('now'))`, `(lower(hex(randomblob(16))))`) and a STORED generated
 * column. drizzle-kit writes ADD COLUMN for them all the same, so the migration passes on an empty
 * development database and fails in production. Such a table is rebuilt instead: the copy leaves the new
 * columns out, so every existing row gets the default (or the computed value).
 *
 * drizzle-kit also writes an ADD COLUMN for each new column of a table it then rebuilds anyway. The new table
 * has those columns already and the copy does not read them from the old one, so those ADDs can only fail:
 * they are dropped too. So are drizzle-kit's CREATE INDEX statements for a table rebuilt here: the rebuild
 * creates all its indexes after the swap.
 */
export async function rebuildInsteadOfUnaddableColumns(
  kit: DrizzleKit,
  statements: readonly string[],
  pairs: readonly TablePair[],
  plan: RenamePlan,
  lookup: TableLookup,
): Promise<string[]> {
  const rebuiltByDrizzleKit = rebuiltTables(statements)
  const toRebuild = pairs.filter(
    (pair) =>
      pair.from !== undefined &&
      pair.to !== undefined &&
      !rebuiltByDrizzleKit.has(pair.to.table) &&
      // The ADD would run on the table as it was: a STRICT toggle rebuilds it only afterwards.
      pairColumns(pair, plan).some(
        (column) => column.from === undefined && !canAddToRows(column.to!, pair.from!.strict),
      ),
  )
  const rebuiltHere = new Set(toRebuild.map((pair) => pair.to!.table))
  const withoutAdds = new Set([...rebuiltByDrizzleKit, ...rebuiltHere])
  const kept = statements.filter((statement) => {
    const added = columnAddedTo(statement)
    if (added !== null) return !withoutAdds.has(added)
    // The rebuild creates every index of the table again; drizzle-kit's CREATE INDEX would run before it,
    // on a column that is not there yet.
    const indexed = indexCreatedOn(statement)
    return indexed === null || !rebuiltHere.has(indexed)
  })
  const rebuilds: string[] = []
  for (const pair of toRebuild) {
    // Columns the old table has under their new names by now: drizzle-kit's renames ran before.
    const copied = pairColumns(pair, plan)
      .filter((column) => column.from !== undefined && column.to !== undefined && column.to.generated === null)
      .map((column) => column.to!.source)
    rebuilds.push(...(await rebuildTable(kit, pair.to!, lookup, copied)))
  }
  return [...kept, ...rebuilds]
}

/** Whether `ALTER TABLE ADD COLUMN` can add the column to a table with rows (NOT NULL aside: see the warnings). */
export function canAddToRows(column: ColumnState, strict = false): boolean {
  if (column.generated !== null) return column.generated.mode === 'virtual'
  if (strict && failsStrictNotNullCheck(column)) return false
  return column.default === null || isConstantDefault(column.default)
}

/**
 * SQLite (3.45, the one @libsql/client ships) refuses `ADD COLUMN x real DEFAULT 2.5 NOT NULL` on a STRICT
 * table with rows ("NOT NULL constraint failed"): the check it runs over the existing rows reads a default
 * that is a non-integral REAL as NULL. Integral values pass, and so does a `text` column (it stores the
 * default as text). Any other default that may be such a number gets a rebuild (one needlessly, say `5.0`,
 * costs a rebuild only).
 */
function failsStrictNotNullCheck(column: ColumnState): boolean {
  if (column.allowNull || column.default === null) return false
  // STRICT tables know one text type, `text` (with or without a collation).
  const textColumn = /^text\b/i.test(column.type)
  const mayBeFractional = /\d\.|\.\d|\de[+-]?\d/i.test(column.default)
  return !textColumn && mayBeFractional
}

// What SQLite evaluates to a value without running anything: string, number, blob, NULL, TRUE/FALSE literals.
const LITERAL =
  /^(?:'(?:[^']|'')*'|[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?|0x[0-9a-f]+|x'[0-9a-f]*'|null|true|false)$/i

/**
 * A literal, possibly in parentheses. Anything else counts as not constant: a wrong "not constant" costs a
 * rebuild, a wrong "constant" a failing migration.
 */
export function isConstantDefault(sqlDefault: string): boolean {
  let text = sqlDefault.trim()
  while (text.startsWith('(') && text.endsWith(')')) text = text.slice(1, -1).trim()
  return LITERAL.test(text)
}
