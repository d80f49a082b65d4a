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
