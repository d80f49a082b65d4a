/** Reading back what a migrator left in a SQLite file (outside the timing), to check each run. */
import { createClient } from '@libsql/client'

/** `{ applied, objects }`: rows in `__drizzle_migrations`, and every schema object but the tracking table. */
export async function readMigratedSchema(databaseFile) {
  const client = createClient({ url: `file:${databaseFile}` })
  try {
    const applied = await client.execute('SELECT count(*) AS n FROM __drizzle_migrations')
    const objects = await client.execute(
      "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name <> '__drizzle_migrations' ORDER BY type, name",
    )
    return {
      applied: Number(applied.rows[0]?.n ?? 0),
      objects: objects.rows.map((row) => `${row.type} ${row.name}: ${String(row.sql).replace(/\s+/g, ' ')}`),
    }
  } finally {
    client.close()
  }
}

/** Rows in `__drizzle_migrations`, or 0 when the database or the table does not exist. */
export async function countAppliedMigrations(databaseFile) {
  const client = createClient({ url: `file:${databaseFile}` })
  try {
    const result = await client.execute('SELECT count(*) AS n FROM __drizzle_migrations')
    return Number(result.rows[0]?.n ?? 0)
  } catch {
    return 0
  } finally {
    client.close()
  }
}
