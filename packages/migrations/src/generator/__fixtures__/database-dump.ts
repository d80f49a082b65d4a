/**
 * Everything a migration may change in a database, for before/after comparisons: every sqlite_master object
 * (its SQL without quotes and whitespace, since SQLite rewrites the CREATE TABLE text of a renamed table),
 * every row of every table in rowid order, and the AUTOINCREMENT high-water marks.
 */
import type { Client } from '@libsql/client'

export interface DatabaseDump {
  objects: string[]
  rows: Record<string, unknown[][]>
  sequences: Record<string, number>
}

export async function dumpDatabase(client: Client): Promise<DatabaseDump> {
  const master = await client.execute(
    "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT IN ('__drizzle_migrations', 'sqlite_sequence') ORDER BY type, name",
  )
  const objects = master.rows.map(
    (row) => `${row.type} ${row.name} on ${row.tbl_name}: ${String(row.sql ?? '').replace(/[`"\s]/g, '')}`,
  )
  const rows: DatabaseDump['rows'] = {}
  for (const row of master.rows) {
    if (row.type !== 'table' || String(row.name).startsWith('sqlite_')) continue
    const name = String(row.name)
    const result = await client.execute(`SELECT * FROM "${name}" ORDER BY rowid`)
    rows[name] = result.rows.map((values) => result.columns.map((column) => normalise(values[column])))
  }
  const sequences: DatabaseDump['sequences'] = {}
  const hasSequence = await client.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'")
  if (hasSequence.rows.length > 0) {
    const result = await client.execute('SELECT name, seq FROM sqlite_sequence ORDER BY name')
    for (const row of result.rows) sequences[String(row.name)] = Number(row.seq)
  }
  return { objects, rows, sequences }
}

function normalise(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value)
  if (value instanceof ArrayBuffer) return [...new Uint8Array(value)]
  return value
}
