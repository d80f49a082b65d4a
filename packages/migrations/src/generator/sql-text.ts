/**
 * Reading and writing the few statement shapes the generator adds to or patches in drizzle-kit's output.
 * Identifiers are plain (the resource DSL rejects anything else), so drizzle-kit's backtick quoting is
 * enough and the patterns below can be strict.
 */

/** Prefix drizzle-kit gives the new table of a rebuild (`CREATE TABLE __new_t`, copy, drop t, rename). */
export const REBUILD_PREFIX = '__new_'

export function quote(identifier: string): string {
  return `\`${identifier}\``
}

/** The table a `CREATE TABLE` statement creates, or null for any other statement. */
export function createdTable(statement: string): string | null {
  return /^CREATE TABLE `([^`]+)` \(/.exec(statement)?.[1] ?? null
}

/** The table an `ALTER TABLE t ADD ...` statement adds a column to, or null for any other statement. */
export function columnAddedTo(statement: string): string | null {
  return /^ALTER TABLE `([^`]+)` ADD `/.exec(statement)?.[1] ?? null
}

/** The table a `CREATE [UNIQUE] INDEX ... ON t` statement indexes, or null for any other statement. */
export function indexCreatedOn(statement: string): string | null {
  return /^CREATE (?:UNIQUE )?INDEX `[^`]+` ON `([^`]+)`/.exec(statement)?.[1] ?? null
}

/** Adds the STRICT table option to a `CREATE TABLE ... (...);` statement. */
export function withStrictOption(statement: string): string {
  return statement.replace(/\);(\s*)$/, ') STRICT;$1')
}

/** The copy step of a rebuild: `INSERT INTO __new_t(a, b) SELECT a, b FROM t;`. */
export interface RebuildCopy {
  /** The rebuilt table's final name (without the prefix). */
  readonly table: string
  /** The table the rows are copied from. */
  readonly source: string
  readonly targetColumns: string[]
  readonly sourceColumns: string[]
}

export function rebuildCopyOf(statement: string): RebuildCopy | null {
  const match = /^INSERT INTO `__new_([^`]+)`\(([^)]*)\) SELECT (.*) FROM `([^`]+)`;\s*$/s.exec(statement)
  if (match === null) return null
  const [, table, targets, sources, source] = match as unknown as [string, string, string, string, string]
  return { table, source, targetColumns: identifierList(targets), sourceColumns: identifierList(sources) }
}

function identifierList(list: string): string[] {
  return list.split(',').map((item) => item.trim().replace(/^`|`$/g, ''))
}

export function rebuildCopyStatement(table: string, columns: readonly string[]): string {
  const list = columns.map(quote).join(', ')
  return `INSERT INTO ${quote(REBUILD_PREFIX + table)}(${list}) SELECT ${list} FROM ${quote(table)};`
}
