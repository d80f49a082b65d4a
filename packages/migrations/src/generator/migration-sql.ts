import { STATEMENT_SEPARATOR } from '@ash-sqlite/snapshot/layout'

/**
 * drizzle-kit's separator between statements, written exactly as drizzle-kit writes it (after each statement's
 * own text, no extra newline before it), so a migration.sql of ours reads like one of theirs and drizzle-orm's
 * migrator, which splits on the breakpoint, runs it.
 */
export const STATEMENT_BREAKPOINT: string = STATEMENT_SEPARATOR

export function migrationSql(statements: readonly string[]): string {
  return statements.join(STATEMENT_SEPARATOR)
}
