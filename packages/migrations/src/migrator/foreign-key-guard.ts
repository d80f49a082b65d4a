/**
 * Which foreign key violations a migration introduced. `PRAGMA foreign_key_check` lists every violation
 * in the database, including rows written with foreign keys off long before this run: those must not
 * block an unrelated migration. So a migration fails only when it adds violations, counted per (table,
 * parent) pair: a table rebuild may give a row a new rowid, or a foreign key a new index, while the
 * number of broken references of each pair stays the same.
 *
 * What the database held before the first migration is learnt only when needed: a check that finds
 * nothing (the usual case) needs no baseline, so a run over a healthy database pays one check per
 * migration, as before. When a check does find violations and no baseline is known yet, the runner rolls
 * the migration back to its savepoint, checks the database as it was, and runs the migration again.
 *
 * A migration made only of statements that cannot add a violation (creating a table, an index, a view or
 * a trigger; adding a column without REFERENCES) skips the check: on a database of many tables the check
 * costs more than such a migration.
 */
import type { Row } from '@libsql/client'
import type { ForeignKeyViolation } from './errors.js'

export const foreignKeyCheckSql = 'PRAGMA foreign_key_check'

export type ViolationCounts = ReadonlyMap<string, number>

export function toViolations(rows: readonly Row[]): ForeignKeyViolation[] {
  return rows.map((row) => ({
    table: String(row.table),
    rowid: row.rowid === null || row.rowid === undefined ? null : Number(row.rowid),
    parent: String(row.parent),
    fkid: Number(row.fkid),
  }))
}

function pairOf(violation: ForeignKeyViolation): string {
  return `${violation.table}\u0000${violation.parent}`
}

export function countViolations(violations: readonly ForeignKeyViolation[]): ViolationCounts {
  const counts = new Map<string, number>()
  for (const violation of violations) counts.set(pairOf(violation), (counts.get(pairOf(violation)) ?? 0) + 1)
  return counts
}

/** The violations of the pairs that gained some since `before`, and how many were gained in all. */
export function introducedViolations(
  before: ViolationCounts,
  after: readonly ForeignKeyViolation[],
): { violations: ForeignKeyViolation[]; introduced: number } {
  let introduced = 0
  const grown = new Set<string>()
  for (const [pair, count] of countViolations(after)) {
    const gained = count - (before.get(pair) ?? 0)
    if (gained > 0) {
      introduced += gained
      grown.add(pair)
    }
  }
  return { violations: after.filter((violation) => grown.has(pairOf(violation))), introduced }
}

/** "posts -> users: 3 rows; comments -> posts: 1 row", for the warning about violations that were there before. */
export function describeViolationCounts(violations: readonly ForeignKeyViolation[]): string {
  return [...countViolations(violations)]
    .map(([pair, count]) => `${pair.replace('\u0000', ' -> ')}: ${count} row${count === 1 ? '' : 's'}`)
    .join('; ')
}

/**
 * Statements that cannot add a foreign key violation: a new table is empty (CREATE TABLE ... AS SELECT
 * has no foreign keys either, but fills a table, so it is checked anyway), indexes, views and triggers
 * change no row, and a column added without REFERENCES takes part in no foreign key. Anything else
 * (INSERT, UPDATE, DELETE, DROP, RENAME, other pragmas, a column added with REFERENCES) is checked.
 */
const cannotAddViolations = [
  /^create\s+(?:temp\s+|temporary\s+)?table\s+(?!.*\bas\s+select\b)/is,
  /^create\s+(?:unique\s+)?index\s/i,
  /^create\s+(?:temp\s+|temporary\s+)?view\s/i,
  /^create\s+(?:temp\s+|temporary\s+)?trigger\s/i,
  /^alter\s+table\s+\S+\s+add\s+(?!.*\breferences\b)/is,
]

export function mayAddViolations(statement: string): boolean {
  const withoutComments = statement.replace(/^\s*--.*$/gm, '').trim()
  return !cannotAddViolations.some((pattern) => pattern.test(withoutComments))
}
