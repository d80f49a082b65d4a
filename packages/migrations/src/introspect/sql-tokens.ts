/**
 * A small SQLite tokenizer, enough to take apart the `CREATE TABLE` / `CREATE INDEX` text SQLite keeps in
 * sqlite_master: the pragmas say nothing about CHECK constraints, collations, generated expressions,
 * AUTOINCREMENT, constraint names or the WHERE of a partial index, so those are read from the SQL itself.
 * Tokens keep their exact source span, so expressions are cut out of the original text unchanged.
 */

export type TokenKind = 'word' | 'identifier' | 'string' | 'blob' | 'number' | 'punct'

export interface Token {
  readonly kind: TokenKind
  /** The token's text; for quoted identifiers the unquoted name. */
  readonly value: string
  readonly start: number
  readonly end: number
}

export function tokenize(sql: string): Token[] {
  const tokens: Token[] = []
  let index = 0
  while (index < sql.length) {
    const char = sql[index] as string
    if (/\s/.test(char)) {
      index++
    } else if (char === '-' && sql[index + 1] === '-') {
      const end = sql.indexOf('\n', index)
      index = end === -1 ? sql.length : end + 1
    } else if (char === '/' && sql[index + 1] === '*') {
      const end = sql.indexOf('*/', index + 2)
      index = end === -1 ? sql.length : end + 2
    } else if ((char === 'x' || char === 'X') && sql[index + 1] === "'") {
      const end = quotedEnd(sql, index + 1, "'")
      tokens.push({ kind: 'blob', value: sql.slice(index, end), start: index, end })
      index = end
    } else if (char === "'") {
      const end = quotedEnd(sql, index, "'")
      tokens.push({ kind: 'string', value: sql.slice(index, end), start: index, end })
      index = end
    } else if (char === '"' || char === '`') {
      const end = quotedEnd(sql, index, char)
      const value = sql.slice(index + 1, end - 1).replaceAll(char + char, char)
      tokens.push({ kind: 'identifier', value, start: index, end })
      index = end
    } else if (char === '[') {
      const close = sql.indexOf(']', index)
      const end = close === -1 ? sql.length : close + 1
      tokens.push({ kind: 'identifier', value: sql.slice(index + 1, end - 1), start: index, end })
      index = end
    } else if (/[A-Za-z_\u0080-\uffff]/.test(char)) {
      let end = index + 1
      while (end < sql.length && /[A-Za-z0-9_$\u0080-\uffff]/.test(sql[end] as string)) end++
      tokens.push({ kind: 'word', value: sql.slice(index, end), start: index, end })
      index = end
    } else if (/[0-9]/.test(char) || (char === '.' && /[0-9]/.test(sql[index + 1] ?? ''))) {
      const match = /^(?:0x[0-9a-fA-F]+|[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)/.exec(sql.slice(index))
      const end = index + (match?.[0].length ?? 1)
      tokens.push({ kind: 'number', value: sql.slice(index, end), start: index, end })
      index = end
    } else {
      const two = sql.slice(index, index + 2)
      const width = ['||', '<=', '>=', '<>', '!=', '==', '<<', '>>', '->'].includes(two) ? 2 : 1
      tokens.push({ kind: 'punct', value: sql.slice(index, index + width), start: index, end: index + width })
      index += width
    }
  }
  return tokens
}

/** End (exclusive) of a quoted run starting at `start`, where a doubled quote is an escaped one. */
function quotedEnd(sql: string, start: number, quote: string): number {
  let index = start + 1
  while (index < sql.length) {
    if (sql[index] === quote) {
      if (sql[index + 1] === quote) index += 2
      else return index + 1
    } else index++
  }
  return sql.length
}

/** Case-insensitive keyword test (quoted identifiers are never keywords). */
export function isWord(token: Token | undefined, ...words: string[]): boolean {
  return token?.kind === 'word' && words.some((word) => word.toUpperCase() === token.value.toUpperCase())
}

export function isPunct(token: Token | undefined, value: string): boolean {
  return token?.kind === 'punct' && token.value === value
}

/** Index of the `)` that closes the `(` at `open`. */
export function closingParen(tokens: readonly Token[], open: number): number {
  let depth = 0
  for (let index = open; index < tokens.length; index++) {
    if (isPunct(tokens[index], '(')) depth++
    else if (isPunct(tokens[index], ')')) {
      depth--
      if (depth === 0) return index
    }
  }
  return tokens.length - 1
}

/** Splits tokens [from, to) at top-level commas. */
export function splitTopLevel(tokens: readonly Token[], from: number, to: number): Array<[number, number]> {
  const parts: Array<[number, number]> = []
  let depth = 0
  let start = from
  for (let index = from; index < to; index++) {
    const token = tokens[index]
    if (isPunct(token, '(')) depth++
    else if (isPunct(token, ')')) depth--
    else if (depth === 0 && isPunct(token, ',')) {
      parts.push([start, index])
      start = index + 1
    }
  }
  if (start < to) parts.push([start, to])
  return parts
}

/** The source text of tokens [from, to]. */
export function textOf(sql: string, tokens: readonly Token[], from: number, to: number): string {
  const first = tokens[from]
  const last = tokens[to]
  if (first === undefined || last === undefined || to < from) return ''
  return sql.slice(first.start, last.end)
}

/** A token as a name: quoted identifiers unquoted, strings used as names (SQLite allows it) unquoted. */
export function nameOf(token: Token | undefined): string {
  if (token === undefined) return ''
  if (token.kind === 'string') return token.value.slice(1, -1).replaceAll("''", "'")
  return token.value
}
