/**
 * The schema of a live database as SQLite itself reports it, read through the pragmas one table at a time
 * (D1 refuses pragma functions joined against sqlite_master) plus what only the stored SQL says. `pull` turns
 * it into resources, `status --drift` compares two of them.
 */
import type { SqlRunner } from '../database/session.js'
import { trackingTable } from '../migrator/tracking-table.js'
import { indexWhere, type ParsedCheck, parseCreateTable } from './create-table-sql.js'

export interface LiveColumn {
  readonly name: string
  /** Declared type exactly as written (`NVARCHAR(40)`), '' when none. */
  readonly type: string
  readonly notNull: boolean
  /** Default text as written after DEFAULT, or null. */
  readonly default: string | null
  /** 1-based position in the primary key, 0 when not part of it. */
  readonly primaryKey: number
  readonly collation: string | null
  readonly generated: { readonly as: string; readonly mode: 'stored' | 'virtual' } | null
  readonly autoincrement: boolean
}

export interface LiveForeignKey {
  readonly columns: readonly string[]
  readonly table: string
  /** Referenced columns; resolved to the parent's primary key when the DDL names none. */
  readonly referencedColumns: readonly string[]
  readonly onDelete: string
  readonly onUpdate: string
  /** CONSTRAINT name from the DDL, or null. */
  readonly name: string | null
}

export interface LiveIndexColumn {
  /** Column name, or null for an expression. */
  readonly name: string | null
  readonly desc: boolean
  readonly collation: string
}

export interface LiveIndex {
  readonly name: string
  readonly table: string
  readonly unique: boolean
  /** `c` CREATE INDEX, `u` a UNIQUE constraint, `pk` the PRIMARY KEY of a WITHOUT ROWID or non-integer key. */
  readonly origin: 'c' | 'u' | 'pk'
  readonly columns: readonly LiveIndexColumn[]
  readonly where: string | null
  /** CREATE INDEX text (null for indexes SQLite made for a constraint). */
  readonly sql: string | null
}

export interface LiveTable {
  readonly name: string
  /** `virtual` tables (and the `shadow` tables they own) are kept in the baseline but not pulled. */
  readonly kind: 'table' | 'virtual' | 'shadow'
  readonly sql: string
  readonly withoutRowid: boolean
  readonly strict: boolean
  readonly columns: readonly LiveColumn[]
  readonly foreignKeys: readonly LiveForeignKey[]
  readonly indexes: readonly LiveIndex[]
  readonly checks: readonly ParsedCheck[]
}

export interface LiveObject {
  readonly type: 'view' | 'trigger'
  readonly name: string
  /** Table (or view) a trigger is on; the view itself for a view. */
  readonly table: string
  readonly sql: string
}

export interface LiveSchema {
  /** User tables in creation order (sqlite_master rowid order). */
  readonly tables: readonly LiveTable[]
  readonly views: readonly LiveObject[]
  readonly triggers: readonly LiveObject[]
  /** Every CREATE statement in creation order: tables, indexes, views, triggers (a baseline replays these). */
  readonly statements: readonly { type: string; name: string; table: string; sql: string }[]
}

export interface ReadLiveSchemaOptions {
  /** Tables left out besides SQLite's own and the tracking tables. */
  readonly ignoreTables?: readonly string[]
}

/** Tables that belong to migration tools, never to the application schema. */
const TOOL_TABLES = [trackingTable, 'd1_migrations', '_cf_KV', '_cf_METADATA']

export async function readLiveSchema(runner: SqlRunner, options: ReadLiveSchemaOptions = {}): Promise<LiveSchema> {
  const ignored = new Set([...TOOL_TABLES, ...(options.ignoreTables ?? [])])
  const master = await runner.query(
    "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid",
  )
  const rows = master
    .map((row) => ({
      type: String(row.type),
      name: String(row.name),
      table: String(row.tbl_name),
      sql: String(row.sql),
    }))
    .filter((row) => !ignored.has(row.table) && !row.table.startsWith('_cf_'))
  const shadow = await shadowTables(runner)
  // Index SQL comes from the one sqlite_master read, not a query per index.
  const indexSql = new Map(rows.filter((row) => row.type === 'index').map((row) => [row.name, row.sql]))
  const pragmas = await bulkPragmas(runner)
  const tables: LiveTable[] = []
  for (const row of rows.filter((entry) => entry.type === 'table')) {
    tables.push(await readTable(pragmas, row.name, row.sql, shadow.has(row.name), indexSql))
  }
  resolveImplicitReferences(tables)
  const objects = (type: 'view' | 'trigger') =>
    rows.filter((row) => row.type === type).map((row) => ({ type, name: row.name, table: row.table, sql: row.sql }))
  return {
    tables,
    views: objects('view'),
    triggers: objects('trigger'),
    statements: rows.filter((row) => !shadow.has(row.table)),
  }
}

/** Tables a virtual table created for itself (FTS5's `t_data` and friends), from `PRAGMA table_list`. */
async function shadowTables(runner: SqlRunner): Promise<Set<string>> {
  try {
    const list = await runner.query('SELECT name, type FROM pragma_table_list')
    return new Set(list.filter((row) => row.type === 'shadow').map((row) => String(row.name)))
  } catch {
    return new Set()
  }
}

/** The four pragmas the schema needs, per table or index. */
interface Pragmas {
  columns(table: string): Promise<Record<string, unknown>[]>
  foreignKeys(table: string): Promise<Record<string, unknown>[]>
  indexList(table: string): Promise<Record<string, unknown>[]>
  indexColumns(index: string): Promise<Record<string, unknown>[]>
}

/**
 * All four pragmas for every table in four queries (pragma functions joined against sqlite_master), which
 * takes a 1000-table schema from thousands of round trips to four. Where that join is refused (D1), or a
 * virtual table's module is missing, it falls back to one query per table and index.
 */
async function bulkPragmas(runner: SqlRunner): Promise<Pragmas> {
  const grouped = async (sql: string, key: string) => {
    const groups = new Map<string, Record<string, unknown>[]>()
    for (const row of await runner.query(sql)) {
      const name = String(row[key])
      groups.set(name, [...(groups.get(name) ?? []), row])
    }
    return (name: string) => Promise.resolve(groups.get(name) ?? [])
  }
  try {
    const join = (pragma: string, type: string, extra = '') =>
      `SELECT m.name AS __owner, p.* FROM sqlite_master m, ${pragma}(m.name) p WHERE m.type = '${type}' AND m.sql NOT LIKE 'CREATE VIRTUAL%'${extra}`
    return {
      columns: await grouped(join('pragma_table_xinfo', 'table'), '__owner'),
      foreignKeys: await grouped(`${join('pragma_foreign_key_list', 'table')} ORDER BY m.name, p.id, p.seq`, '__owner'),
      indexList: await grouped(join('pragma_index_list', 'table'), '__owner'),
      indexColumns: await grouped(
        `SELECT m.name AS __owner, p.* FROM sqlite_master m, pragma_index_xinfo(m.name) p WHERE m.type = 'index' AND p.key = 1 ORDER BY m.name, p.seqno`,
        '__owner',
      ),
    }
  } catch {
    return {
      columns: (table) => runner.query('SELECT * FROM pragma_table_xinfo(?)', [table]),
      foreignKeys: (table) => runner.query('SELECT * FROM pragma_foreign_key_list(?) ORDER BY id, seq', [table]),
      indexList: (table) => runner.query('SELECT * FROM pragma_index_list(?)', [table]),
      indexColumns: (index) =>
        runner.query('SELECT * FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno', [index]),
    }
  }
}

async function readTable(
  runner: Pragmas,
  name: string,
  sql: string,
  isShadow: boolean,
  indexSql: ReadonlyMap<string, string>,
): Promise<LiveTable> {
  const isVirtual = /^\s*CREATE\s+VIRTUAL\s+TABLE/i.test(sql)
  const kind = isShadow ? 'shadow' : isVirtual ? 'virtual' : 'table'
  if (kind !== 'table') {
    return {
      name,
      kind,
      sql,
      withoutRowid: false,
      strict: false,
      columns: [],
      foreignKeys: [],
      indexes: [],
      checks: [],
    }
  }
  const parsed = parseCreateTable(sql)
  const parsedColumns = new Map(parsed.columns.map((column) => [column.name.toLowerCase(), column]))
  const info = await runner.columns(name)
  const columns = info.map((row): LiveColumn => {
    const columnName = String(row.name)
    const extra = parsedColumns.get(columnName.toLowerCase())
    return {
      name: columnName,
      type: String(row.type ?? ''),
      notNull: Number(row.notnull) === 1,
      default:
        row.dflt_value === null || row.dflt_value === undefined ? null : (extra?.default ?? String(row.dflt_value)),
      primaryKey: Number(row.pk),
      collation: extra?.collation ?? null,
      generated: extra?.generated ?? null,
      autoincrement: extra?.autoincrement ?? false,
    }
  })
  return {
    name,
    kind,
    sql,
    withoutRowid: parsed.withoutRowid,
    strict: parsed.strict,
    columns,
    foreignKeys: await readForeignKeys(runner, name, parsed.foreignKeyNames),
    indexes: await readIndexes(runner, name, indexSql),
    checks: parsed.checks,
  }
}

async function readForeignKeys(
  runner: Pragmas,
  table: string,
  names: readonly { columns: readonly string[]; name: string }[],
): Promise<LiveForeignKey[]> {
  const rows = await runner.foreignKeys(table)
  const byId = new Map<number, Record<string, unknown>[]>()
  for (const row of rows) byId.set(Number(row.id), [...(byId.get(Number(row.id)) ?? []), row])
  // pragma ids count from the last constraint declared, so reverse to get the DDL's order.
  return [...byId.keys()]
    .sort((a, b) => b - a)
    .map((id) => {
      const group = byId.get(id) ?? []
      const columns = group.map((row) => String(row.from))
      const key = columns.join(',').toLowerCase()
      const name = names.find((entry) => entry.columns.join(',').toLowerCase() === key)?.name ?? null
      return {
        columns,
        table: String(group[0]?.table),
        referencedColumns: group.map((row) => (row.to === null || row.to === undefined ? '' : String(row.to))),
        onDelete: String(group[0]?.on_delete ?? 'NO ACTION'),
        onUpdate: String(group[0]?.on_update ?? 'NO ACTION'),
        name,
      }
    })
}

async function readIndexes(
  runner: Pragmas,
  table: string,
  indexSql: ReadonlyMap<string, string>,
): Promise<LiveIndex[]> {
  const list = await runner.indexList(table)
  const indexes: LiveIndex[] = []
  for (const row of list) {
    const name = String(row.name)
    const info = await runner.indexColumns(name)
    const sql = indexSql.get(name) ?? null
    indexes.push({
      name,
      table,
      unique: Number(row.unique) === 1,
      origin: String(row.origin) as LiveIndex['origin'],
      columns: info.map((column) => ({
        name: column.name === null || column.name === undefined ? null : String(column.name),
        desc: Number(column.desc) === 1,
        collation: String(column.coll ?? 'BINARY'),
      })),
      where: Number(row.partial) === 1 ? indexWhere(sql) : null,
      sql,
    })
  }
  // pragma_index_list lists the newest first; creation order reads better and is stable.
  return indexes.reverse()
}

/** `REFERENCES parent` without columns means the parent's primary key. */
function resolveImplicitReferences(tables: LiveTable[]): void {
  const byName = new Map(tables.map((table) => [table.name.toLowerCase(), table]))
  for (const table of tables) {
    for (const key of table.foreignKeys) {
      if (key.referencedColumns.every((column) => column !== '')) continue
      const parent = byName.get(key.table.toLowerCase())
      const primaryKey = (parent?.columns ?? [])
        .filter((column) => column.primaryKey > 0)
        .sort((a, b) => a.primaryKey - b.primaryKey)
        .map((column) => column.name)
      ;(key as { referencedColumns: readonly string[] }).referencedColumns = key.referencedColumns.map(
        (column, index) => (column === '' ? (primaryKey[index] ?? '') : column),
      )
    }
  }
}
