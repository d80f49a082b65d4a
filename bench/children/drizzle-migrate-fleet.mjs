/**
 * What a drizzle-orm user writes to migrate many databases: a loop calling `migrate()` on each in turn.
 *   node drizzle-migrate-fleet.mjs <directory> <count> <migrations folder> [--report-time]
 * migrates `<directory>/db<i>.db` for i in 0..count-1, the files ash-sqlite's fleet repo names.
 * With --report-time it prints `{"ms": ...}`: the in-process time of the whole loop (as drizzle-migrate.mjs).
 */
import { join } from 'node:path'
import { createClient } from '@libsql/client'
import { drizzle } from 'drizzle-orm/libsql'
import { migrate } from 'drizzle-orm/libsql/migrator'

const [directory, countText, migrationsFolder, flag] = process.argv.slice(2)
const count = Number(countText)
if (!directory || !migrationsFolder || !Number.isInteger(count) || count < 1) {
  process.stderr.write(
    'usage: node drizzle-migrate-fleet.mjs <directory> <count> <migrations folder> [--report-time]\n',
  )
  process.exit(2)
}

const started = performance.now()
for (let index = 0; index < count; index++) {
  const client = createClient({ url: `file:${join(directory, `db${index}.db`)}` })
  try {
    await migrate(drizzle({ client }), { migrationsFolder })
  } finally {
    client.close()
  }
}
if (flag === '--report-time') process.stdout.write(`${JSON.stringify({ ms: performance.now() - started })}\n`)
