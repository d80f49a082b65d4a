/**
 * Real SQLite files for generator tests: apply statements one at a time (foreign keys off around them, as the
 * migrator does) and read back the schema in a comparable form.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Client, createClient } from '@libsql/client'

export interface TestDatabase {
  readonly client: Client
  /** The file's libSQL URL, for a second client with other options. */
  readonly url: string
  apply(statements: readonly string[]): Promise<void>
  schema(): Promise<SchemaShape>
  close(): Promise<void>
}

export async function openTestDatabase(): Promise<TestDatabase> {
  const dir = await mkdtemp(join(tmpdir(), 'ash-sqlite-generator-db-'))
  const url = `file:${join(dir, 'test.db')}`
  const client = createClient({ url })
  return {
    client,
    url,
    async apply(statements) {
      await client.execute('PRAGMA foreign_keys=OFF')
      for (const statement of statements) await client.execute(statement)
      await client.execute('PRAGMA foreign_keys=ON')
    },
    schema: () => readSchema(client),
    async close() {
      client.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/** Everything about a schema a migration should restore, independent of column order within a table. */
export interface SchemaShape {
  tables: Record<string, TableShape>
  triggers: Record<string, string>
}

export interface TableShape {
  strict: boolean
  columns: Record<
    string,
    { type: string; notNull: boolean; default: string | null; primaryKey: number; hidden: number }
  >
  indexes: Record<string, { unique: boolean; partial: boolean; columns: string[]; sql: string | null }>
  foreignKeys: string[]
}

async function readSchema(client: Client): Promise<SchemaShape> {
  const tables: Record<string, TableShape> = {}
  const names = await client.execute(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
  )
  for (const row of names.rows) {
    const name = String(row.name)
    tables[name] = await readTable(client, name)
  }
  const triggers: Record<string, string> = {}
  const triggerRows = await client.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
  for (const row of triggerRows.rows) triggers[String(row.name)] = String(row.sql)
  return { tables, triggers }
}

async function readTable(client: Client, name: string): Promise<TableShape> {
  const list = await client.execute({ sql: 'SELECT strict FROM pragma_table_list WHERE name = ?', args: [name] })
  const columns: TableShape['columns'] = {}
  const info = await client.execute({ sql: 'SELECT * FROM pragma_table_xinfo(?)', args: [name] })
  for (const row of info.rows) {
    columns[String(row.name)] = {
      type: String(row.type),
      notNull: Number(row.notnull) === 1,
      default: row.dflt_value === null ? null : String(row.dflt_value),
      primaryKey: Number(row.pk),
      hidden: Number(row.hidden),
    }
  }
  const indexes: TableShape['indexes'] = {}
  const indexRows = await client.execute({ sql: 'SELECT * FROM pragma_index_list(?)', args: [name] })
  for (const row of indexRows.rows) {
    const indexName = String(row.name)
    const indexColumns = await client.execute({
      sql: 'SELECT name FROM pragma_index_info(?) ORDER BY seqno',
      args: [indexName],
    })
    const sql = await client.execute({ sql: 'SELECT sql FROM sqlite_master WHERE name = ?', args: [indexName] })
    indexes[indexName] = {
      unique: Number(row.unique) === 1,
      partial: Number(row.partial) === 1,
      columns: indexColumns.rows.map((column) => String(column.name)),
      sql: sql.rows[0]?.sql === null || sql.rows[0] === undefined ? null : String(sql.rows[0].sql),
    }
  }
  const keys = await client.execute({ sql: 'SELECT * FROM pragma_foreign_key_list(?)', args: [name] })
  const foreignKeys = keys.rows
    .map((row) => `${row.from} -> ${row.table}(${row.to}) ON UPDATE ${row.on_update} ON DELETE ${row.on_delete}`)
    .sort()
  return { strict: Number(list.rows[0]?.strict ?? 0) === 1, columns, indexes, foreignKeys }
}
