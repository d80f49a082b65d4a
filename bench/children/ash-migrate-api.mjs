/**
 * ash-sqlite's programmatic migrator, as a production app calls it: `migrate(await loadConfig())`.
 * Run with the project as the working directory; prints `{"ms": ...}` where `ms` covers `migrate(config)`
 * only (connecting, migrating, closing), like drizzle-migrate.mjs --report-time. Loading the config (the
 * resources) happens before the clock starts: drizzle's migrate() has no counterpart to it.
 * Exits 1 when a database reports an error (results are data, so nothing would throw).
 */
// The libSQL client is imported before the clock, as drizzle-migrate.mjs imports it: an app that queries with
// Drizzle has it loaded already, and ash-sqlite only loads it when the first database is opened.
import '@libsql/client'
import { loadConfig, migrate } from '@ash-sqlite/migrations'

const config = await loadConfig()
const started = performance.now()
const result = await migrate(config)
const ms = performance.now() - started
if (!result.ok) {
  for (const database of result.databases) {
    if (database.error) process.stderr.write(`${database.repo}/${database.database}: ${database.error.message}\n`)
  }
  process.exit(1)
}
process.stdout.write(`${JSON.stringify({ ms })}\n`)
