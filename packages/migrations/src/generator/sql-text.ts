/**
 * Writing the few SQL fragments the generator renders itself. Identifiers are plain (the resource DSL rejects
 * anything else), so drizzle-kit's backtick quoting is enough.
 */

export function quote(identifier: string): string {
  return `\`${identifier}\``
}

/** A string literal. */
export function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`
}

/** Adds the STRICT table option to drizzle-kit's `CREATE TABLE ... (...);` statement. */
export function withStrictOption(statement: string): string {
  return statement.replace(/\);(\s*)$/, ') STRICT;$1')
}
