/**
 * Turning DSL values into SQL text for the table state: literal defaults become quoted SQL literals,
 * drizzle `sql` expressions become their text. The state is plain JSON, so this is the one place where
 * values meet SQL syntax.
 */
import { is, SQL } from 'drizzle-orm'
import { SQLiteDialect } from 'drizzle-orm/sqlite-core'

const dialect = new SQLiteDialect()

/** Brand check through drizzle's `is` (entity kinds), so a second copy of drizzle-orm is still recognised. */
export function isSqlExpression(value: unknown): value is SQL {
  return typeof value === 'object' && value !== null && is(value, SQL)
}

/** The SQL text of a drizzle `sql` expression, with any interpolated values inlined as literals. */
export function sqlExpressionText(expression: SQL): string {
  return dialect.sqlToQuery(expression.inlineParams()).sql.trim()
}

/** A string as a SQL string literal: single quotes doubled, nothing else to escape in SQLite. */
export function quoteString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`
}

/** Bytes as a SQL blob literal (`X'0aff'`). */
export function quoteBlob(bytes: Uint8Array): string {
  return `X'${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}'`
}

/**
 * An expression default as SQLite wants it: in parentheses, unless it already is one parenthesised whole
 * (`(CURRENT_TIMESTAMP)` stays, `CURRENT_TIMESTAMP` becomes `(CURRENT_TIMESTAMP)`).
 */
export function parenthesize(expression: string): string {
  return isOneParenthesizedGroup(expression) ? expression : `(${expression})`
}

function isOneParenthesizedGroup(text: string): boolean {
  if (!text.startsWith('(') || !text.endsWith(')')) return false
  let depth = 0
  let quote: string | null = null
  for (let index = 0; index < text.length; index++) {
    const char = text[index]
    if (quote) {
      if (char === quote) quote = null
      continue
    }
    if (char === "'" || char === '"' || char === '`') quote = char
    else if (char === '(') depth++
    else if (char === ')') {
      depth--
      // The group closed before the end: `(a) + (b)` is two groups, not one.
      if (depth === 0 && index < text.length - 1) return false
    }
  }
  return depth === 0
}
