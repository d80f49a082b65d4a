import type { ColumnState } from '@ash-sqlite/resource'
import type { RenamePlan } from './rename-plan.js'
import { pairColumns, type TablePair } from './table-pairs.js'

/**
 * SQLite's `ALTER TABLE ... ADD COLUMN` refuses, on a table that has rows, a column whose default is not a
 * constant (`CURRENT_TIMESTAMP`, `(datetime('now'))`, `(lower(hex(randomblob(16))))`) and a STORED generated
 * column. drizzle-kit (1.0.0-rc.5) writes ADD COLUMN for them all the same, so the migration passes on an empty
 * development database and fails in production. Such a table is rebuilt instead: the copy leaves the new
 * columns out, so every existing row gets the default (or the computed value).
 *
 * The ADD would run on the table as it was: a STRICT toggle rebuilds it only afterwards, so the old table's
 * STRICT option decides.
 */
export function hasUnaddableColumn(pair: TablePair, plan: RenamePlan): boolean {
  if (pair.from === undefined || pair.to === undefined) return false
  const strict = pair.from.strict
  return pairColumns(pair, plan).some((column) => column.from === undefined && !canAddToRows(column.to!, strict))
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
