/**
 * Hard limits of SQLite that a definition can run into. SQLite reports them only when the DDL runs (in the
 * middle of a migration, possibly on a production database), so they are refused at definition time instead.
 */
import type { DefinitionCheck } from './definition-check.js'

/**
 * SQLITE_MAX_COLUMN, 2000 in every stock build (and in libSQL, D1 and the prebuilt @libsql/client binaries):
 * the most columns a table, an index, a SELECT result or an ORDER BY may have. An index cannot exceed it
 * without its table exceeding it first (an index lists each column once), so the table is the one check.
 */
export const SQLITE_MAX_COLUMN = 2000

export function checkColumnCount(check: DefinitionCheck, count: number): void {
  if (count <= SQLITE_MAX_COLUMN) return
  check.fail(
    'exceeds_sqlite_limit',
    'attributes',
    `defines ${count} columns (attributes and belongsTo keys), more than the ${SQLITE_MAX_COLUMN} SQLite allows in one table`,
    'Split the resource into two tables (e.g. a hasOne resource for the rarely used attributes), or store groups of values in one attr.json() column',
  )
}
