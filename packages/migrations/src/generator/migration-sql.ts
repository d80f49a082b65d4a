import { STATEMENT_BREAKPOINT as MARKER, STATEMENT_SEPARATOR } from '@ash-sqlite/snapshot/layout'
import { GenerateError } from './errors.js'

/**
 * drizzle-kit's separator between statements, written exactly as drizzle-kit writes it (after each statement's
 * own text, no extra newline before it), so a migration.sql of ours reads like one of theirs and drizzle-orm's
 * migrator, which splits on the breakpoint, runs it.
 */
export const STATEMENT_BREAKPOINT: string = STATEMENT_SEPARATOR

/**
 * The file text of a migration's statements. Checked to round-trip through the split every migrator does (at
 * the marker, each piece trimmed): render-plan.ts refuses statements holding the marker, this is the last
 * line of defence for anything written around it.
 */
export function migrationSql(statements: readonly string[]): string {
  const text = statements.join(STATEMENT_SEPARATOR)
  const pieces = text
    .split(MARKER)
    .map((piece) => piece.trim())
    .filter((piece) => piece !== '')
  const expected = statements.map((statement) => statement.trim()).filter((statement) => statement !== '')
  if (pieces.length !== expected.length || pieces.some((piece, index) => piece !== expected[index])) {
    throw new GenerateError(
      'migration statements do not survive the split at --> statement-breakpoint (nothing was written); please report this',
      { code: 'statement_breakpoint_in_sql' },
    )
  }
  return text
}
