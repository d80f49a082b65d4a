/**
 * What only the `CREATE TABLE` text tells: per column its declared collation, generated expression and
 * AUTOINCREMENT; CHECK constraints (column and table level, with their names); the names of foreign-key
 * constraints; WITHOUT ROWID and STRICT. Types, NOT NULL, defaults, keys and indexes come from the pragmas.
 */
import { closingParen, isPunct, isWord, nameOf, splitTopLevel, type Token, textOf, tokenize } from './sql-tokens.js'

export interface ParsedColumn {
  readonly name: string
  /**
   * The DEFAULT clause as written, parentheses included: `PRAGMA table_info` drops the parentheses of an
   * expression default (`datetime('now')`), which is not valid after DEFAULT.
   */
  readonly default: string | null
  readonly collation: string | null
  readonly generated: { readonly as: string; readonly mode: 'stored' | 'virtual' } | null
  readonly autoincrement: boolean
}

export interface ParsedCheck {
  /** Constraint name, or null when unnamed. */
  readonly name: string | null
  /** The expression inside CHECK( ... ), as written. */
  readonly expression: string
  /** The column whose definition holds it, or null for a table constraint. */
  readonly column: string | null
}

export interface ParsedForeignKeyName {
  readonly columns: readonly string[]
  readonly name: string
}

export interface ParsedCreateTable {
  readonly columns: readonly ParsedColumn[]
  readonly checks: readonly ParsedCheck[]
  readonly foreignKeyNames: readonly ParsedForeignKeyName[]
  readonly withoutRowid: boolean
  readonly strict: boolean
}

const COLUMN_CONSTRAINT_START = [
  'CONSTRAINT',
  'PRIMARY',
  'NOT',
  'NULL',
  'UNIQUE',
  'CHECK',
  'DEFAULT',
  'COLLATE',
  'REFERENCES',
  'GENERATED',
  'AS',
]
const TABLE_CONSTRAINT_START = ['CONSTRAINT', 'PRIMARY', 'UNIQUE', 'CHECK', 'FOREIGN']

export function parseCreateTable(sql: string): ParsedCreateTable {
  const tokens = tokenize(sql)
  const open = tokens.findIndex((token) => isPunct(token, '('))
  if (open === -1) return { columns: [], checks: [], foreignKeyNames: [], withoutRowid: false, strict: false }
  const close = closingParen(tokens, open)
  const options = tokens.slice(close + 1).map((token) => token.value.toUpperCase())
  const columns: ParsedColumn[] = []
  const checks: ParsedCheck[] = []
  const foreignKeyNames: ParsedForeignKeyName[] = []
  for (const [from, to] of splitTopLevel(tokens, open + 1, close)) {
    const first = tokens[from]
    const second = tokens[from + 1]
    const isTableConstraint =
      isWord(first, ...TABLE_CONSTRAINT_START) &&
      // A column may be called "check" or "unique" only when quoted; `primary key` / `foreign key` need KEY.
      (!isWord(first, 'PRIMARY', 'FOREIGN') || isWord(second, 'KEY'))
    if (isTableConstraint) readTableConstraint(sql, tokens, from, to, checks, foreignKeyNames)
    else columns.push(readColumn(sql, tokens, from, to, checks))
  }
  return {
    columns,
    checks,
    foreignKeyNames,
    withoutRowid: options.includes('ROWID'),
    strict: options.includes('STRICT'),
  }
}

function readColumn(
  sql: string,
  tokens: readonly Token[],
  from: number,
  to: number,
  checks: ParsedCheck[],
): ParsedColumn {
  const name = nameOf(tokens[from])
  let collation: string | null = null
  let defaultText: string | null = null
  let generated: ParsedColumn['generated'] = null
  let autoincrement = false
  let constraintName: string | null = null
  let index = from + 1
  // The type name: words and a parenthesised size, up to the first constraint keyword.
  while (index < to && !isWord(tokens[index], ...COLUMN_CONSTRAINT_START)) {
    index = isPunct(tokens[index], '(') ? closingParen(tokens, index) + 1 : index + 1
  }
  while (index < to) {
    const token = tokens[index]
    if (isWord(token, 'CONSTRAINT')) {
      constraintName = nameOf(tokens[index + 1])
      index += 2
      continue
    }
    if (isWord(token, 'COLLATE')) {
      collation = nameOf(tokens[index + 1])
      index += 2
    } else if (isWord(token, 'DEFAULT')) {
      const first = index + 1
      let last = first
      if (isPunct(tokens[first], '(')) last = closingParen(tokens, first)
      else if ((isPunct(tokens[first], '-') || isPunct(tokens[first], '+')) && tokens[first + 1] !== undefined)
        last = first + 1
      defaultText = textOf(sql, tokens, first, last)
      index = last + 1
    } else if (isWord(token, 'AUTOINCREMENT')) {
      autoincrement = true
      index++
    } else if (isWord(token, 'CHECK') && isPunct(tokens[index + 1], '(')) {
      const end = closingParen(tokens, index + 1)
      checks.push({ name: constraintName, expression: textOf(sql, tokens, index + 2, end - 1), column: name })
      index = end + 1
    } else if (isWord(token, 'AS') && isPunct(tokens[index + 1], '(')) {
      const end = closingParen(tokens, index + 1)
      const mode = isWord(tokens[end + 1], 'STORED') ? 'stored' : 'virtual'
      generated = { as: textOf(sql, tokens, index + 2, end - 1), mode }
      index = end + 1
    } else if (isPunct(token, '(')) {
      index = closingParen(tokens, index) + 1
      continue
    } else {
      index++
      continue
    }
    constraintName = null
  }
  return { name, default: defaultText, collation, generated, autoincrement }
}

function readTableConstraint(
  sql: string,
  tokens: readonly Token[],
  from: number,
  to: number,
  checks: ParsedCheck[],
  foreignKeyNames: ParsedForeignKeyName[],
): void {
  let index = from
  let name: string | null = null
  if (isWord(tokens[index], 'CONSTRAINT')) {
    name = nameOf(tokens[index + 1])
    index += 2
  }
  if (isWord(tokens[index], 'CHECK') && isPunct(tokens[index + 1], '(')) {
    const end = closingParen(tokens, index + 1)
    checks.push({ name, expression: textOf(sql, tokens, index + 2, end - 1), column: null })
  } else if (isWord(tokens[index], 'FOREIGN') && name !== null) {
    const open = index + 2
    if (!isPunct(tokens[open], '(')) return
    const end = Math.min(closingParen(tokens, open), to)
    const columns = splitTopLevel(tokens, open + 1, end).map(([start]) => nameOf(tokens[start]))
    foreignKeyNames.push({ columns, name })
  }
}

/** The WHERE condition of a `CREATE [UNIQUE] INDEX ... WHERE ...` text, or null. */
export function indexWhere(sql: string | null): string | null {
  if (sql === null) return null
  const tokens = tokenize(sql)
  let depth = 0
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]
    if (isPunct(token, '(')) depth++
    else if (isPunct(token, ')')) depth--
    else if (depth === 0 && isWord(token, 'WHERE')) {
      const last = isPunct(tokens[tokens.length - 1], ';') ? tokens.length - 2 : tokens.length - 1
      return textOf(sql, tokens, index + 1, last)
    }
  }
  return null
}

/**
 * The key terms of a `CREATE [UNIQUE] INDEX name ON table (term, ...)` text, as written, each without its
 * trailing ASC/DESC or COLLATE: `lower(email)`, `score`. Null when the text cannot be read.
 */
export function indexTerms(sql: string | null): string[] | null {
  if (sql === null) return null
  const tokens = tokenize(sql)
  const on = tokens.findIndex((token) => isWord(token, 'ON'))
  const open = tokens.findIndex((token, index) => index > on && isPunct(token, '('))
  if (on === -1 || open === -1) return null
  const close = closingParen(tokens, open)
  return splitTopLevel(tokens, open + 1, close).map(([from, to]) => {
    let last = to - 1
    if (isWord(tokens[last], 'ASC', 'DESC')) last--
    if (isWord(tokens[last - 1], 'COLLATE')) last -= 2
    return textOf(sql, tokens, from, last)
  })
}
