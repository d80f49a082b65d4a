/**
 * SIGKILL at random moments of a run of 20 migrations, many times, on a file and on sqld: whatever the
 * moment, the database is at a migration boundary (the tracking rows name exactly the migrations whose
 * effects are there, in order, each applied once) and a rerun finishes. The runs commit at a boundary
 * every 100 ms (`maxTransactionMs`), so kills land both inside and between transactions.
 *
 * Kills: ASH_SQLITE_KILL_RUNS (file, default 12) and ASH_SQLITE_KILL_RUNS_SQLD (default 3), small so CI
 * stays fast (each kill starts a child process that loads the TypeScript sources); run with 50 and more
 * on demand. ASH_SQLITE_KILL_SEED changes the random moments (default: a fixed seed, so CI repeats itself).
 */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { remoteRows, wipe } from '../remote/__fixtures__/remote-client.js'
import { buildConfig, createTempDir, type TempDir, writeMigration } from '../test-utils/migration-fixtures.js'
import { startMigratorChild } from '../test-utils/migrator-child.js'
import { type SqldServer, startSqld } from '../test-utils/sqld.js'
import { queryRows } from '../test-utils/sqlite-file.js'
import { migrate } from './migrate.js'

const fileKills = Number(process.env.ASH_SQLITE_KILL_RUNS ?? 12)
const sqldKills = Number(process.env.ASH_SQLITE_KILL_RUNS_SQLD ?? 3)
const seed = Number(process.env.ASH_SQLITE_KILL_SEED ?? 12)
const migrationCount = 20
const rowsPerMigration = 4_000
const names = Array.from({ length: migrationCount }, (_, index) => `202601010000${String(index).padStart(2, '0')}_m`)

/** Each kill starts a child process (seconds on a busy machine) and reruns the migrations. */
const timeoutFor = (kills: number): number => 120_000 + kills * 30_000

/** mulberry32: small, seeded, good enough to spread kill moments. */
function random(seedValue: number): () => number {
  let state = seedValue >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

let temp: TempDir
beforeAll(async () => {
  temp = await createTempDir()
  const repoDir = join(temp.path, 'migrations', 'main')
  for (const [index, name] of names.entries()) {
    await writeMigration(repoDir, name, {
      up: [
        ...(index === 0 ? ['CREATE TABLE log (name text NOT NULL)'] : []),
        `CREATE TABLE t${index} (x integer, pad text)`,
        `INSERT INTO t${index} WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < ${rowsPerMigration}) SELECT x, hex(randomblob(32)) FROM n`,
        `INSERT INTO log VALUES ('${name}')`,
      ],
    })
  }
})
afterAll(async () => {
  await temp?.remove()
})

type Query = (sql: string) => Promise<Record<string, unknown>[]>

/** The database is at a boundary: recorded = a prefix of the plan, and exactly those migrations' effects. */
async function expectBoundary(query: Query): Promise<number> {
  expect((await query('PRAGMA integrity_check'))[0]).toEqual({ integrity_check: 'ok' })
  const tables = (await query("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 't%'")).map((row) =>
    String(row.name),
  )
  const hasTracking = (await query("SELECT 1 FROM sqlite_master WHERE name = '__drizzle_migrations'")).length > 0
  const recorded = hasTracking
    ? (await query('SELECT name FROM __drizzle_migrations ORDER BY id')).map((row) => String(row.name))
    : []
  expect(recorded).toEqual(names.slice(0, recorded.length))
  expect(tables.sort()).toEqual(recorded.map((_, index) => `t${index}`).sort())
  if (recorded.length > 0) {
    expect((await query('SELECT name FROM log ORDER BY rowid')).map((row) => String(row.name))).toEqual(recorded)
  }
  for (const index of recorded.keys()) {
    expect(await query(`SELECT count(*) AS n FROM t${index}`)).toEqual([{ n: rowsPerMigration }])
  }
  return recorded.length
}

async function killRuns(kills: number, url: () => Promise<string>, query: (url: string) => Query): Promise<number[]> {
  const next = random(seed)
  const seen: number[] = []
  // The first run is not killed: it measures how long a run takes, to spread the kills over it.
  let runMs = 0
  for (let round = 0; round <= kills; round++) {
    const target = await url()
    const config = buildConfig(temp.path, [{ name: 'main', url: target }])
    const child = startMigratorChild('migrate', { config, options: { maxTransactionMs: 100 } })
    await child.waitForEvent((event) => event.type === 'database_started')
    const started = Date.now()
    if (round === 0) {
      const output = await child.done
      expect(output.code).toBe(0)
      runMs = Date.now() - started
      continue
    }
    await new Promise((resolve) => setTimeout(resolve, next() * runMs * 1.1))
    child.process.kill('SIGKILL')
    await child.done
    seen.push(await expectBoundary(query(target)))
    const rerun = await migrate(config)
    expect(rerun.ok).toBe(true)
    expect(await expectBoundary(query(target))).toBe(migrationCount)
  }
  return seen
}

describe('SIGKILL at random moments of a run of 20 migrations', () => {
  it(
    `leaves a file database at a boundary every time (${fileKills} kills), and a rerun finishes`,
    async () => {
      let round = 0
      const seen = await killRuns(
        fileKills,
        async () => `file:${join(temp.path, `kill-${round++}.db`)}`,
        (url) => (sql) => queryRows(url.slice('file:'.length), sql),
      )
      // The kills landed at different places of the run, not all before or after it.
      if (fileKills >= 4) expect(new Set(seen).size).toBeGreaterThan(1)
    },
    timeoutFor(fileKills),
  )

  describe('on sqld', () => {
    let server: SqldServer
    beforeAll(async () => {
      server = await startSqld()
    })
    afterAll(async () => {
      await server?.stop()
    })

    it(
      `leaves the database at a boundary every time (${sqldKills} kills, over ws), and a rerun finishes`,
      async () => {
        await killRuns(
          sqldKills,
          async () => {
            await wipe(server.url, undefined)
            // ws: the server sees the killed process's connection close and rolls its transaction back at once.
            return server.wsUrl
          },
          (url) => (sql) => remoteRows(url, undefined, sql),
        )
      },
      timeoutFor(sqldKills),
    )
  })
})
