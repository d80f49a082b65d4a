import { type Client, createClient, type Row } from '@libsql/client'

/** A client on a real SQLite file, for asserting what a migration did. Close it (or use `withDb`). */
export function openDb(path: string): Client {
  return createClient({ url: `file:${path}` })
}

export async function withDb<T>(path: string, work: (db: Client) => Promise<T>): Promise<T> {
  const db = openDb(path)
  try {
    return await work(db)
  } finally {
    db.close()
  }
}

/** Rows as plain objects (libSQL rows also carry numeric keys). */
export async function queryRows(path: string, sql: string): Promise<Record<string, unknown>[]> {
  return withDb(path, async (db) => (await db.execute(sql)).rows.map(plainRow))
}

export async function scalar(path: string, sql: string): Promise<unknown> {
  return withDb(path, async (db) => (await db.execute(sql)).rows[0]?.[0])
}

/** Names of the user tables (not sqlite_*), sorted. */
export async function tableNames(path: string): Promise<string[]> {
  const rows = await queryRows(
    path,
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
  )
  return rows.map((row) => String(row.name))
}

/** Names recorded in __drizzle_migrations, in id order. */
export async function recordedNames(path: string): Promise<string[]> {
  const rows = await queryRows(path, 'SELECT name FROM __drizzle_migrations ORDER BY id')
  return rows.map((row) => String(row.name))
}

function plainRow(row: Row): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row))
}
