/**
 * Differences between two live schemas, listed by object: what the migrations say a database should look
 * like (`expected`) against what it is (`actual`). Names compare case-insensitively as SQLite does; SQL
 * text (defaults, CHECK and WHERE expressions, view and trigger bodies) compares with whitespace, quoting
 * and outer parentheses normalised away, so two spellings of one schema are not reported.
 */
import type { LiveColumn, LiveForeignKey, LiveIndex, LiveSchema, LiveTable } from './live-schema.js'

export type SchemaObjectKind = 'table' | 'column' | 'index' | 'foreign key' | 'check' | 'view' | 'trigger'

export interface SchemaDifference {
  readonly kind: SchemaObjectKind
  /** The object: `users`, `users.email`, `users_email_index`, `users(author_id) -> authors(id)`. */
  readonly name: string
  /** Its table, or null for views. */
  readonly table: string | null
  /** `missing`: expected, not in the database; `unexpected`: only in the database; `changed`: both, unequal. */
  readonly change: 'missing' | 'unexpected' | 'changed'
  readonly expected?: string
  readonly actual?: string
}

export interface DiffOptions {
  /**
   * Match unique indexes without WHERE by their columns instead of their names, so an inline UNIQUE
   * (`sqlite_autoindex_*`) equals a named unique index. For comparing a schema with its pulled resources.
   */
  readonly uniqueByColumns?: boolean
  /** Compare only these tables (lower case names), and views and triggers on them. */
  readonly onlyTables?: ReadonlySet<string>
}

export function diffSchemas(expected: LiveSchema, actual: LiveSchema, options: DiffOptions = {}): SchemaDifference[] {
  const differences: SchemaDifference[] = []
  const keep = (table: string) => options.onlyTables === undefined || options.onlyTables.has(table.toLowerCase())
  const expectedTables = byLowerName(expected.tables.filter((table) => keep(table.name)))
  const actualTables = byLowerName(actual.tables.filter((table) => keep(table.name)))
  for (const [key, table] of expectedTables) {
    const live = actualTables.get(key)
    if (live === undefined) differences.push({ kind: 'table', name: table.name, table: table.name, change: 'missing' })
    else differences.push(...diffTables(table, live, options))
  }
  for (const [key, table] of actualTables) {
    if (!expectedTables.has(key))
      differences.push({ kind: 'table', name: table.name, table: table.name, change: 'unexpected' })
  }
  for (const kind of ['view', 'trigger'] as const) {
    const pick = (schema: LiveSchema) =>
      byLowerName((kind === 'view' ? schema.views : schema.triggers).filter((object) => keep(object.table)))
    const wanted = pick(expected)
    const found = pick(actual)
    for (const [key, object] of wanted) {
      const live = found.get(key)
      const table = kind === 'view' ? null : object.table
      if (live === undefined) differences.push({ kind, name: object.name, table, change: 'missing' })
      else if (normalizeSql(object.sql) !== normalizeSql(live.sql))
        differences.push({ kind, name: object.name, table, change: 'changed', expected: object.sql, actual: live.sql })
    }
    for (const [key, object] of found) {
      if (!wanted.has(key))
        differences.push({
          kind,
          name: object.name,
          table: kind === 'view' ? null : object.table,
          change: 'unexpected',
        })
    }
  }
  return differences
}

function diffTables(expected: LiveTable, actual: LiveTable, options: DiffOptions): SchemaDifference[] {
  const table = actual.name
  const differences: SchemaDifference[] = []
  if (expected.kind !== 'table' || actual.kind !== 'table') {
    if (expected.kind !== actual.kind || normalizeSql(expected.sql) !== normalizeSql(actual.sql))
      differences.push({
        kind: 'table',
        name: table,
        table,
        change: 'changed',
        expected: expected.sql,
        actual: actual.sql,
      })
    return differences
  }
  const tableTraits = (t: LiveTable) =>
    [t.withoutRowid ? 'WITHOUT ROWID' : '', t.strict ? 'STRICT' : ''].join(' ').trim()
  if (tableTraits(expected) !== tableTraits(actual)) {
    differences.push({
      kind: 'table',
      name: table,
      table,
      change: 'changed',
      expected: tableTraits(expected) || 'rowid table',
      actual: tableTraits(actual) || 'rowid table',
    })
  }
  compareKeyed(
    differences,
    'column',
    table,
    keyedBy(expected.columns, (column) => column.name.toLowerCase()),
    keyedBy(actual.columns, (column) => column.name.toLowerCase()),
    (column) => `${table}.${column.name}`,
    (column, owner) => describeColumn(column, owner === 'expected' ? expected : actual),
  )
  compareKeyed(
    differences,
    'foreign key',
    table,
    keyedBy(expected.foreignKeys, foreignKeyName),
    keyedBy(actual.foreignKeys, foreignKeyName),
    (key) => `${table}(${key.columns.join(', ')}) -> ${key.table}(${key.referencedColumns.join(', ')})`,
    (key) => `ON DELETE ${key.onDelete} ON UPDATE ${key.onUpdate}`,
  )
  const indexKey = (index: LiveIndex) =>
    (index.origin === 'u' || (options.uniqueByColumns === true && index.unique)) && index.where === null
      ? `unique(${index.columns.map((column) => column.name?.toLowerCase()).join(',')})`
      : index.name.toLowerCase()
  const indexes = (t: LiveTable) =>
    keyedBy(
      t.indexes.filter((index) => index.origin !== 'pk'),
      indexKey,
    )
  compareKeyed(
    differences,
    'index',
    table,
    indexes(expected),
    indexes(actual),
    (index) =>
      index.origin === 'u' ? `UNIQUE (${index.columns.map((c) => c.name).join(', ')}) on ${table}` : index.name,
    describeIndex,
  )
  compareKeyed(
    differences,
    'check',
    table,
    keyedBy(expected.checks, (check) => normalizeSql(check.expression)),
    keyedBy(actual.checks, (check) => normalizeSql(check.expression)),
    (check) => `${table} CHECK (${check.expression})`,
    () => 'present',
  )
  return differences
}

function compareKeyed<T>(
  differences: SchemaDifference[],
  kind: SchemaObjectKind,
  table: string,
  expected: Map<string, T>,
  actual: Map<string, T>,
  nameOf: (item: T) => string,
  describe: (item: T, owner: 'expected' | 'actual') => string,
): void {
  for (const [key, item] of expected) {
    const live = actual.get(key)
    if (live === undefined) {
      differences.push({ kind, name: nameOf(item), table, change: 'missing', expected: describe(item, 'expected') })
      continue
    }
    const wanted = describe(item, 'expected')
    const found = describe(live, 'actual')
    if (wanted !== found)
      differences.push({ kind, name: nameOf(live), table, change: 'changed', expected: wanted, actual: found })
  }
  for (const [key, item] of actual) {
    if (!expected.has(key))
      differences.push({ kind, name: nameOf(item), table, change: 'unexpected', actual: describe(item, 'actual') })
  }
}

/** A column in one comparable line: type, NOT NULL, default, key position, collation, generated expression. */
function describeColumn(column: LiveColumn, table: LiveTable): string {
  const type = column.type
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/\s*\(\s*/g, '(')
    .replace(/\s*,\s*/g, ',')
    .replace(/\s*\)/g, ')')
  const rowidAlias = isRowidAlias(column, table)
  const parts = [type || '(no type)']
  // An INTEGER PRIMARY KEY is the rowid: it can never hold NULL, whether or not NOT NULL was written.
  if (column.notNull && !rowidAlias) parts.push('NOT NULL')
  if (column.default !== null) parts.push(`DEFAULT ${normalizeSql(column.default)}`)
  if (column.primaryKey > 0) parts.push(`PRIMARY KEY#${column.primaryKey}`)
  if (column.autoincrement) parts.push('AUTOINCREMENT')
  if (column.collation !== null && column.collation.toUpperCase() !== 'BINARY')
    parts.push(`COLLATE ${column.collation.toUpperCase()}`)
  if (column.generated !== null) parts.push(`AS (${normalizeSql(column.generated.as)}) ${column.generated.mode}`)
  return parts.join(' ')
}

function isRowidAlias(column: LiveColumn, table: LiveTable): boolean {
  if (table.withoutRowid || column.primaryKey !== 1) return false
  if (table.columns.filter((other) => other.primaryKey > 0).length !== 1) return false
  return column.type.trim().toUpperCase() === 'INTEGER'
}

function describeIndex(index: LiveIndex): string {
  const columns = index.columns
    .map((column) => {
      const collation = column.collation.toUpperCase() === 'BINARY' ? '' : ` COLLATE ${column.collation.toUpperCase()}`
      return `${column.name === null ? '<expression>' : column.name.toLowerCase()}${collation}${column.desc ? ' DESC' : ''}`
    })
    .join(', ')
  const expressions =
    index.columns.some((column) => column.name === null) && index.sql !== null
      ? ` ${normalizeSql(index.sql.replace(/^.*?\bON\b/is, ''))}`
      : ''
  const where = index.where === null ? '' : ` WHERE ${normalizeSql(index.where)}`
  return `${index.unique ? 'UNIQUE ' : ''}(${columns})${expressions}${where}`
}

function foreignKeyName(key: LiveForeignKey): string {
  return `${key.columns.join(',')}->${key.table}(${key.referencedColumns.join(',')})`.toLowerCase()
}

function keyedBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T> {
  return new Map(items.map((item) => [key(item), item]))
}

function byLowerName<T extends { name: string }>(items: readonly T[]): Map<string, T> {
  return keyedBy(items, (item) => item.name.toLowerCase())
}

/**
 * SQL text made comparable: identifier quotes dropped, whitespace collapsed (outside string literals),
 * keywords upper-cased, `IF NOT EXISTS` and a trailing `;` ignored, one pair of outer parentheses removed.
 */
export function normalizeSql(sql: string): string {
  let out = ''
  let index = 0
  while (index < sql.length) {
    const char = sql[index] as string
    if (char === "'") {
      let end = index + 1
      while (end < sql.length && !(sql[end] === "'" && sql[end + 1] !== "'")) end += sql[end] === "'" ? 2 : 1
      out += sql.slice(index, end + 1)
      index = end + 1
    } else if (char === '"' || char === '`' || char === '[' || char === ']') {
      index++
    } else if (/\s/.test(char)) {
      if (!out.endsWith(' ')) out += ' '
      index++
    } else {
      out += char.toUpperCase()
      index++
    }
  }
  out = out
    .replace(/\s*([(),;=<>+*/-])\s*/g, '$1')
    .replace(/\bIF NOT EXISTS /g, '')
    .replace(/;+$/, '')
    .trim()
  while (out.startsWith('(') && out.endsWith(')') && balanced(out.slice(1, -1))) out = out.slice(1, -1)
  return out
}

function balanced(text: string): boolean {
  let depth = 0
  for (const char of text) {
    if (char === '(') depth++
    else if (char === ')' && --depth < 0) return false
  }
  return depth === 0
}
