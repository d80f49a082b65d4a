/**
 * What a drizzle-orm user runs to migrate a database: `migrate(drizzle(client), { migrationsFolder })`.
 *   node drizzle-migrate.mjs <database file> <migrations folder> [--report-time]
 * With --report-time it prints `{"ms": ...}`: the in-process time of connecting, migrating and closing,
 * without Node's startup and module loading (the bench's "API" comparison).
 */
import { createClient } from '@libsql/client'
import { drizzle } from 'drizzle-orm/libsql'
import { migrate } from 'drizzle-orm/libsql/migrator'

const [databaseFile, migrationsFolder, flag] = process.argv.slice(2)
if (!databaseFile || !migrationsFolder) {
  process.stderr.write('usage: node drizzle-migrate.mjs <database file> <migrations folder> [--report-time]\n')
  process.exit(2)
}

const started = performance.now()
const client = createClient({ url: `file:${databaseFile}` })
try {
  await migrate(drizzle({ client }), { migrationsFolder })
} finally {
  client.close()
}
const ms = performance.now() - started
if (flag === '--report-time') process.stdout.write(`${JSON.stringify({ ms })}\n`)
