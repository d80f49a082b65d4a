/**
 * The schema a database actually has (PRAGMA table_info, index_list, index_info, foreign_key_list, table_list,
 * and the column's collation from sqlite_master) and the one a model says it must have, in one comparable
 * shape. Column order is left out: SQLite appends added columns, a fresh CREATE TABLE follows the resource.
 */
import type { Client } from '@libsql/client'
import { defaultStoredValue, keyType } from './data-model.js'
import {
  type ColumnType,
  customIndexName,
  foreignKeyColumn,
  identityIndexName,
  type OnDelete,
  type SchemaModel,
  type TableModel,
} from './schema-model.js'
import type { StoredValue } from './stored-value.js'

export interface LiveColumn {
  /** Declared type, upper case. */
  readonly type: string
  readonly notNull: boolean
  /** The default's SQL text as SQLite keeps it, or null. */
  readonly default: string | null
  readonly primaryKey: boolean
  readonly nocase: boolean
  /** A generated column (table_xinfo's `hidden` 2 or 3). */
  readonly generated: boolean
}

export interface LiveIndex {
  readonly unique: boolean
  readonly partial: boolean
  readonly columns: readonly string[]
}

export interface LiveForeignKey {
  readonly table: string
  readonly to: string
  readonly onDelete: string
  readonly onUpdate: string
}

export interface LiveTable {
  readonly strict: boolean
  readonly columns: Readonly<Record<string, LiveColumn>>
  /** Every index but the automatic one of a non-integer primary key. */
  readonly indexes: Readonly<Record<string, LiveIndex>>
  /** By the key column. */
  readonly foreignKeys: Readonly<Record<string, LiveForeignKey>>
}

export interface LiveSchema {
  /** User tables: not `sqlite_*`, not the migrations tracking table. */
  readonly tables: Readonly<Record<string, LiveTable>>
  /** Views and triggers, as `<type> <name> on <table>`, sorted. */
  readonly objects: readonly string[]
}

const TRACKING_TABLE = '__drizzle_migrations'

/** Names of the tables and indexes in the database besides SQLite's own, sorted. */
export async function schemaObjects(client: Client): Promise<string[]> {
  const rows = await client.execute(
    "SELECT type || ' ' || name AS object FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
  )
  return rows.rows.map((row) => String(row.object))
}

export async function readLiveSchema(client: Client): Promise<LiveSchema> {
  const names = await client.execute({
    sql: "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> ? ORDER BY name",
    args: [TRACKING_TABLE],
  })
  const tables: Record<string, LiveTable> = {}
  for (const row of names.rows) tables[String(row.name)] = await readTable(client, String(row.name), String(row.sql))
  const objects = await client.execute(
    "SELECT type || ' ' || name || ' on ' || tbl_name AS object FROM sqlite_master WHERE type IN ('view', 'trigger') ORDER BY type, name",
  )
  return { tables, objects: objects.rows.map((row) => String(row.object)) }
}

async function readTable(client: Client, name: string, createSql: string): Promise<LiveTable> {
  const strict = await client.execute({ sql: 'SELECT strict FROM pragma_table_list WHERE name = ?', args: [name] })
  const columns: Record<string, LiveColumn> = {}
  const info = await client.execute({ sql: 'SELECT * FROM pragma_table_xinfo(?)', args: [name] })
  for (const column of info.rows) {
    const columnName = String(column.name)
    columns[columnName] = {
      type: String(column.type).toUpperCase(),
      notNull: Number(column.notnull) === 1,
      default: column.dflt_value === null ? null : String(column.dflt_value),
      primaryKey: Number(column.pk) > 0,
      nocase: declaresNocase(createSql, columnName),
      generated: Number(column.hidden) >= 2,
    }
  }
  const indexes: Record<string, LiveIndex> = {}
  const indexRows = await client.execute({ sql: 'SELECT * FROM pragma_index_list(?)', args: [name] })
  for (const index of indexRows.rows) {
    if (index.origin === 'pk') continue
    const indexColumns = await client.execute({
      sql: 'SELECT name FROM pragma_index_info(?) ORDER BY seqno',
      args: [String(index.name)],
    })
    indexes[String(index.name)] = {
      unique: Number(index.unique) === 1,
      partial: Number(index.partial) === 1,
      columns: indexColumns.rows.map((column) => String(column.name)),
    }
  }
  const foreignKeys: Record<string, LiveForeignKey> = {}
  const keyRows = await client.execute({ sql: 'SELECT * FROM pragma_foreign_key_list(?)', args: [name] })
  for (const key of keyRows.rows) {
    foreignKeys[String(key.from)] = {
      table: String(key.table),
      to: String(key.to),
      onDelete: String(key.on_delete),
      onUpdate: String(key.on_update),
    }
  }
  return { strict: Number(strict.rows[0]?.strict ?? 0) === 1, columns, indexes, foreignKeys }
}

/**
 * PRAGMA table_info does not report collations: read the column's definition in the CREATE TABLE text (which
 * ALTER TABLE ADD COLUMN and RENAME COLUMN keep up to date).
 */
function declaresNocase(createSql: string, column: string): boolean {
  const definition = new RegExp(`[\`"\\[]?\\b${column}\\b[\`"\\]]?\\s+[a-z]+\\s+COLLATE\\s+NOCASE`, 'i')
  return definition.test(createSql)
}

const SQL_TYPE: Readonly<Record<ColumnType, string>> = {
  string: 'TEXT',
  ciString: 'TEXT',
  integer: 'INTEGER',
  boolean: 'INTEGER',
  float: 'REAL',
  binary: 'BLOB',
}

const ON_DELETE_SQL: Readonly<Record<OnDelete, string>> = {
  delete: 'CASCADE',
  nilify: 'SET NULL',
  restrict: 'RESTRICT',
  nothing: 'NO ACTION',
  update: 'CASCADE',
  setDefault: 'SET DEFAULT',
}

/** The schema the resources of `model` describe, as `readLiveSchema` reports it. */
export function expectedSchema(model: SchemaModel): LiveSchema {
  const objects = model.tables.flatMap((table) =>
    table.watches.flatMap((watch) => [
      `view ${watch.name}_view on ${watch.name}_view`,
      `trigger ${watch.name}_trigger on ${watch.target}`,
      `trigger ${watch.name}_touch on ${table.name}`,
    ]),
  )
  return {
    tables: Object.fromEntries(model.tables.map((table) => [table.name, expectedTable(model, table)])),
    objects: objects.sort(byType),
  }
}

function expectedTable(model: SchemaModel, table: TableModel): LiveTable {
  const columns: Record<string, LiveColumn> = {
    // A uuid key is declared NOT NULL (SQLite would otherwise let a non-STRICT text key hold NULL); an INTEGER
    // PRIMARY KEY is the rowid, declared without NOT NULL, and table_info reports it as nullable.
    id: {
      type: SQL_TYPE[keyType(model, table.name)],
      notNull: table.key === 'uuid',
      default: null,
      primaryKey: true,
      nocase: false,
      generated: false,
    },
  }
  for (const column of table.columns) {
    columns[column.name] = {
      type: SQL_TYPE[column.type],
      notNull: !column.allowNull,
      default: column.default === null ? null : defaultSql(defaultStoredValue(column.type, column.default)),
      primaryKey: false,
      nocase: column.type === 'ciString',
      generated: column.generated,
    }
  }
  const foreignKeys: Record<string, LiveForeignKey> = {}
  for (const rel of table.belongsTo) {
    const column = foreignKeyColumn(rel.name)
    columns[column] = {
      type: SQL_TYPE[keyType(model, rel.target)],
      notNull: !rel.allowNull,
      default: null,
      primaryKey: false,
      nocase: false,
      generated: false,
    }
    foreignKeys[column] = { table: rel.target, to: 'id', onDelete: ON_DELETE_SQL[rel.onDelete], onUpdate: 'NO ACTION' }
  }
  const indexes: Record<string, LiveIndex> = {}
  for (const identity of table.identities) {
    indexes[identityIndexName(table.name, identity)] = { unique: true, partial: false, columns: identity.columns }
  }
  for (const index of table.customIndexes) {
    indexes[customIndexName(table.name, index)] = {
      unique: index.unique,
      partial: index.partial,
      columns: index.columns,
    }
  }
  return { strict: table.strict, columns, indexes, foreignKeys }
}

/** sqlite_master's order: by type, then name. */
function byType(left: string, right: string): number {
  const [leftType = '', leftName = ''] = left.split(' ')
  const [rightType = '', rightName = ''] = right.split(' ')
  return leftType === rightType ? (leftName < rightName ? -1 : 1) : leftType < rightType ? -1 : 1
}

/** A default as the resource package renders it after DEFAULT (see its README). */
function defaultSql(value: StoredValue): string {
  switch (value.class) {
    case 'text':
      return `'${value.value.replaceAll("'", "''")}'`
    case 'blob':
      return `X'${value.value}'`
    case 'null':
      return 'NULL'
    default:
      return String(value.value)
  }
}
