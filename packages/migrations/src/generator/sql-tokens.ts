/**
 * A small SQLite tokenizer: enough to split text into statements and to find the identifiers a statement
 * mentions, without ever being fooled by a `;`, a keyword or a table name inside a string literal, a quoted
 * identifier or a comment. Custom statements are user SQL, so nothing here may rely on regexes over raw text.
 */

export type SqlToken =
  | { kind: 'word'; text: string; start: number; end: number }
  | { kind: 'quoted'; text: string; start: number; end: number }
  | { kind: 'string'; start: number; end: number }
  | { kind: 'comment'; start: number; end: number }
  | { kind: 'symbol'; text: string; start: number; end: number }

/** The text cannot be split: an unterminated string, quoted identifier or block comment. */
export class SqlTokenError extends Error {
  override name = 'SqlTokenError'
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/

export function tokenize(sql: string): SqlToken[] {
  const tokens: SqlToken[] = []
  let at = 0
  while (at < sql.length) {
    const char = sql[at]!
    const start = at
    if (/\s/.test(char)) {
      at++
    } else if (char === '-' && sql[at + 1] === '-') {
      const newline = sql.indexOf('\n', at)
      at = newline === -1 ? sql.length : newline + 1
      tokens.push({ kind: 'comment', start, end: at })
    } else if (char === '/' && sql[at + 1] === '*') {
      const close = sql.indexOf('*/', at + 2)
      if (close === -1) throw new SqlTokenError(`unterminated /* comment at offset ${start}`)
      at = close + 2
      tokens.push({ kind: 'comment', start, end: at })
    } else if (char === "'") {
      at = closingQuote(sql, at, "'")
      tokens.push({ kind: 'string', start, end: at })
    } else if (char === '"' || char === '`') {
      at = closingQuote(sql, at, char)
      tokens.push({ kind: 'quoted', text: sql.slice(start + 1, at - 1).replaceAll(char + char, char), start, end: at })
    } else if (char === '[') {
      const close = sql.indexOf(']', at)
      if (close === -1) throw new SqlTokenError(`unterminated [identifier at offset ${start}`)
      at = close + 1
      tokens.push({ kind: 'quoted', text: sql.slice(start + 1, close), start, end: at })
    } else if ((char === 'x' || char === 'X') && sql[at + 1] === "'") {
      at = closingQuote(sql, at + 1, "'")
      tokens.push({ kind: 'string', start, end: at })
    } else if (WORD_START.test(char)) {
      while (at < sql.length && WORD_PART.test(sql[at]!)) at++
      tokens.push({ kind: 'word', text: sql.slice(start, at), start, end: at })
    } else {
      at++
      tokens.push({ kind: 'symbol', text: char, start, end: at })
    }
  }
  return tokens
}

function closingQuote(sql: string, open: number, quote: string): number {
  let at = open + 1
  for (;;) {
    const next = sql.indexOf(quote, at)
    if (next === -1) throw new SqlTokenError(`unterminated ${quote} quote at offset ${open}`)
    if (sql[next + 1] === quote) {
      at = next + 2
      continue
    }
    return next + 1
  }
}

/**
 * The statements of a text, each trimmed and without its final `;`. A `;` ends a statement except inside the
 * BEGIN ... END body of a CREATE TRIGGER (where CASE ... END may nest). Pieces holding only comments are
 * dropped: libSQL refuses to run an empty statement.
 */
export function splitSqlStatements(sql: string): string[] {
  const tokens = tokenize(sql)
  const statements: string[] = []
  let first = 0
  let depth = 0
  let trigger = false
  let meaningful = false
  let statementStart = -1
  const finish = (end: number) => {
    if (meaningful) statements.push(sql.slice(statementStart, end).trim())
    meaningful = false
    trigger = false
    depth = 0
    statementStart = -1
  }
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]!
    if (token.kind === 'comment') continue
    if (!meaningful) {
      meaningful = true
      statementStart = token.start
      first = index
    }
    if (token.kind === 'word') {
      const word = token.text.toUpperCase()
      if (index - first <= 3 && word === 'TRIGGER' && isCreate(tokens, first)) trigger = true
      if (trigger && (word === 'BEGIN' || word === 'CASE')) depth++
      if (trigger && word === 'END' && depth > 0) depth--
    }
    if (token.kind === 'symbol' && token.text === ';' && depth === 0) {
      const ownEnd = token.start
      if (sql.slice(statementStart, ownEnd).trim() === '') {
        meaningful = false
        continue
      }
      finish(ownEnd)
    }
  }
  if (meaningful) finish(sql.length)
  return statements.filter((statement) => statement !== '')
}

function isCreate(tokens: readonly SqlToken[], first: number): boolean {
  const token = tokens[first]
  return token?.kind === 'word' && token.text.toUpperCase() === 'CREATE'
}

/** Every identifier (bare word or quoted name) a statement mentions, lower-cased. Strings and comments are skipped. */
export function mentionedNames(sql: string): Set<string> {
  const names = new Set<string>()
  for (const token of tokenize(sql)) {
    if (token.kind === 'word' || token.kind === 'quoted') names.add(token.text.toLowerCase())
  }
  return names
}

/**
 * The name of the schema object a `CREATE [TEMP] [UNIQUE] VIEW|TRIGGER|INDEX|TABLE [IF NOT EXISTS] [schema.]name`
 * statement creates, with its type, or null for any other statement.
 */
export function createdObject(sql: string): { type: string; name: string } | null {
  const tokens = tokenize(sql).filter((token) => token.kind !== 'comment')
  const word = (index: number) => {
    const token = tokens[index]
    return token?.kind === 'word' ? token.text.toUpperCase() : null
  }
  if (word(0) !== 'CREATE') return null
  let at = 1
  if (word(at) === 'TEMP' || word(at) === 'TEMPORARY') at++
  if (word(at) === 'UNIQUE') at++
  const type = word(at)
  if (type !== 'VIEW' && type !== 'TRIGGER' && type !== 'INDEX' && type !== 'TABLE') return null
  at++
  if (word(at) === 'IF' && word(at + 1) === 'NOT' && word(at + 2) === 'EXISTS') at += 3
  const nameAt = tokens[at + 1]?.kind === 'symbol' && (tokens[at + 1] as { text: string }).text === '.' ? at + 2 : at
  const name = tokens[nameAt]
  if (name === undefined || (name.kind !== 'word' && name.kind !== 'quoted')) return null
  return { type: type.toLowerCase(), name: name.text }
}
