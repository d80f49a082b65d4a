/** Real SQLite files for tests: a temp directory per test, removed afterwards. */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Client, createClient } from '@libsql/client'

export interface TempDatabase {
  client: Client
  path: string
  close(): Promise<void>
}

export async function openTempDatabase(): Promise<TempDatabase> {
  const directory = await mkdtemp(join(tmpdir(), 'ash-sqlite-resource-'))
  const path = join(directory, 'test.db')
  const client = createClient({ url: `file:${path}` })
  return {
    client,
    path,
    async close() {
      client.close()
      await rm(directory, { recursive: true, force: true })
    },
  }
}

/** Runs statements one at a time, as a migrator would. */
export async function execute(client: Client, statements: readonly string[]): Promise<void> {
  for (const statement of statements) await client.execute(statement)
}

/** The CREATE statements SQLite stored for tables and indexes, by name. */
export async function storedSchema(client: Client): Promise<Record<string, string>> {
  const result = await client.execute(
    "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY name",
  )
  return Object.fromEntries(result.rows.map((row) => [String(row.name), String(row.sql)]))
}
