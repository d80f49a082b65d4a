/**
 * Comparing the SQL two tools generated, so that a ratio is only reported as meaningful when both sides
 * produced the same migration (equivalent schemas, same work). Statement order and whitespace are ignored.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { subdirectories } from './workdir.mjs'

const BREAKPOINT = '--> statement-breakpoint'

function normalize(statement) {
  return statement.replace(/\s+/g, ' ').replace(/;\s*$/, '').trim()
}

/** The statements of `<migrationsDir>/<newest folder>/migration.sql`, normalized. */
export async function newestMigrationStatements(migrationsDir) {
  const folders = await subdirectories(migrationsDir)
  const newest = folders.at(-1)
  if (!newest) return []
  const text = await readFile(join(migrationsDir, newest, 'migration.sql'), 'utf8')
  return text
    .split(BREAKPOINT)
    .map(normalize)
    .filter((statement) => statement.length > 0)
}

function multisetDifference(left, right) {
  const remaining = new Map()
  for (const item of right) remaining.set(item, (remaining.get(item) ?? 0) + 1)
  const onlyLeft = []
  for (const item of left) {
    const count = remaining.get(item) ?? 0
    if (count > 0) remaining.set(item, count - 1)
    else onlyLeft.push(item)
  }
  return onlyLeft
}

/** `{ same, oursCount, theirsCount, onlyOursCount, onlyTheirsCount, onlyOurs, onlyTheirs }` for the newest migration of each side. */
export async function compareNewestMigrations(oursDir, theirsDir) {
  const ours = await newestMigrationStatements(oursDir)
  const theirs = await newestMigrationStatements(theirsDir)
  const onlyOurs = multisetDifference(ours, theirs)
  const onlyTheirs = multisetDifference(theirs, ours)
  return {
    same: onlyOurs.length === 0 && onlyTheirs.length === 0,
    oursCount: ours.length,
    theirsCount: theirs.length,
    onlyOursCount: onlyOurs.length,
    onlyTheirsCount: onlyTheirs.length,
    // A few examples are enough to see what differs; the full lists can be thousands of lines.
    onlyOurs: onlyOurs.slice(0, 5),
    onlyTheirs: onlyTheirs.slice(0, 5),
  }
}

const SHOWN_STATEMENTS = 2

function listed(statements, count) {
  if (count > SHOWN_STATEMENTS) return `${count} statements (see results.json)`
  return statements
    .map((statement) => `"${statement.length > 240 ? `${statement.slice(0, 237)}...` : statement}"`)
    .join(', ')
}

/** One line for the report: the same statements, or what only one side has (shown when there are few). */
export function describeSqlComparison(comparison) {
  if (!comparison) return ''
  if (comparison.same) return `same SQL (${comparison.oursCount} statements)`
  const { onlyOursCount, onlyTheirsCount } = comparison
  const parts = []
  if (onlyOursCount > 0) parts.push(`only ash-sqlite: ${listed(comparison.onlyOurs, onlyOursCount)}`)
  if (onlyTheirsCount > 0) parts.push(`only drizzle-kit: ${listed(comparison.onlyTheirs, onlyTheirsCount)}`)
  const shared = comparison.theirsCount - onlyTheirsCount
  return `SQL differs (${shared} statements shared; ${parts.join('; ')})`
}
