/** DDL of Drizzle tables, as drizzle-kit (the generator's differ) writes it for an empty database. */

import { generateDrizzleJson, generateMigration } from 'drizzle-kit/payload/sqlite'
import type { SQLiteTable } from 'drizzle-orm/sqlite-core'

export async function createStatements(tables: Record<string, SQLiteTable>): Promise<string[]> {
  const empty = await generateDrizzleJson({})
  const current = await generateDrizzleJson(tables)
  return (await generateMigration(empty, current)).map((statement) => statement.trim())
}
