/**
 * Fleets of per-tenant SQLite files: 200 databases with one damaged file, failures that stay with their
 * database, reruns that finish the rest, and errors that keep their classes when the work ran on worker
 * threads (fleets of files of 16 and more use them).
 */

import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { DatabaseTarget } from '@ash-sqlite/resource'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDatabases, dropDatabases } from '../database/create-drop.js'
import { DatabaseError } from '../database/errors.js'
import { MigrationFailedError } from '../migrator/errors.js'
import { migrate } from '../migrator/migrate.js'
import { rollback } from '../migrator/rollback.js'
import { minFilesForThreads } from '../migrator/runner.js'
import { status } from '../migrator/status.js'
import type { MigrationRunResult, MigratorEvent } from '../migrator/types.js'
import { everythingIn } from '../remote/__fixtures__/remote-client.js'
import { buildConfig, createTempDir, type TempDir } from '../test-utils/migration-fixtures.js'
import { findFreeLoopbackPort } from '../test-utils/sqld.js'
import { recordedNames, scalar, withDb } from '../test-utils/sqlite-file.js'
import { generateRepoMigrations } from './__fixtures__/family-repo.js'

let temp: TempDir
let generated: string[]
beforeAll(async () => {
  temp = await createTempDir()
  generated = await generateRepoMigrations(temp.path, 'tenants')
})
afterAll(async () => {
  await temp?.remove()
})

function fileFleet(directory: string, count: number): { targets: DatabaseTarget[]; path: (index: number) => string } {
  const path = (index: number): string => join(temp.path, directory, `t${index}.db`)
  const targets = Array.from({ length: count }, (_, index) => ({
    name: `t${index}`,
    url: `file:${directory}/t${index}.db`,
  }))
  return { targets, path }
}

const configOf = (targets: readonly DatabaseTarget[]) =>
  buildConfig(temp.path, [{ name: 'tenants', databases: async () => [...targets] }])
const failedNames = (result: MigrationRunResult): string[] =>
  result.databases.filter((database) => database.error !== undefined).map((database) => database.database)
const appliedCounts = (result: MigrationRunResult): number[] => [
  ...new Set(result.databases.map((database) => database.results.filter((entry) => entry.status === 'success').length)),
]

describe('a fleet of 200 files with one damaged file', () => {
  const { targets, path } = fileFleet('two-hundred', 200)
  const damaged = 137
  const garbage = 'this is not a SQLite database\n'.repeat(100)

  it('migrates the 199 others, reports the damaged one without touching it, and a rerun finishes after it is fixed', async () => {
    await createDatabases(configOf(targets))
    await writeFile(path(damaged), garbage)

    const events: MigratorEvent[] = []
    const first = await migrate(configOf(targets), { onEvent: (event) => events.push(event) })
    expect(first.ok).toBe(false)
    expect(first.databases).toHaveLength(200)
    expect(failedNames(first)).toEqual([`t${damaged}`])
    const error = first.databases[damaged]?.error
    expect(error).toBeInstanceOf(DatabaseError)
    expect(error).toMatchObject({ code: 'database_error', reason: 'not_a_database' })
    expect(error?.message).toBe(
      `Database t${damaged} (file:two-hundred/t${damaged}.db): the file is not a database (SQLITE_NOTADB): it is damaged, or not SQLite at all. It was left as it is: restore it from a backup, or move it away and run \`migrate\` again.`,
    )
    expect(await readFile(path(damaged), 'utf8')).toBe(garbage)
    const healthy = first.databases.filter((database) => database.error === undefined)
    expect(appliedCounts({ ...first, databases: healthy })).toEqual([generated.length])
    expect(await recordedNames(path(0))).toEqual(generated)
    expect(await recordedNames(path(199))).toEqual(generated)

    const finished = events.filter((event) => event.type === 'database_finished')
    expect(finished).toHaveLength(200)
    expect(finished.at(-1)).toMatchObject({ done: 200, failed: 1, total: 200 })

    await rm(path(damaged))
    const rerun = await migrate(configOf(targets))
    expect(rerun.ok).toBe(true)
    const worked = rerun.databases.filter((database) => database.results.length > 0)
    expect(worked.map((database) => database.database)).toEqual([`t${damaged}`])
    expect(await recordedNames(path(damaged))).toEqual(generated)
  })

  it('reads the status of every database, or of one with --database', async () => {
    const all = await status(configOf(targets))
    expect(all.ok).toBe(true)
    expect(new Set(all.databases.flatMap((database) => database.migrations.map((entry) => entry.state)))).toEqual(
      new Set(['applied']),
    )
    const one = await status(configOf(targets), { database: 't42' })
    expect(one.databases.map((database) => database.database)).toEqual(['t42'])
  })
})

describe('fleets on worker threads', () => {
  it(`keeps the error classes and fields of a failure on a worker thread (fleets of ${minFilesForThreads}+ files)`, async () => {
    const { targets, path } = fileFleet('threads', minFilesForThreads)
    await createDatabases(configOf(targets))
    // t4 already has a `users` table, so the first migration fails there at its CREATE TABLE users.
    await withDb(path(4), (db) => db.execute('CREATE TABLE users (id integer)'))

    // Two threads suffice to cross the thread boundary (and start faster than the default eight).
    const twoThreads = { concurrency: 2 }
    const result = await migrate(configOf(targets), twoThreads)
    expect(failedNames(result)).toEqual(['t4'])
    const [failed] = result.databases[4]?.results ?? []
    expect(failed?.error).toBeInstanceOf(MigrationFailedError)
    expect(failed?.error).toMatchObject({ code: 'migration_failed', migrationName: generated[0], direction: 'up' })
    expect(failed?.statementIndex).toBe(1)
    expect(result.databases[4]?.error).toBe(failed?.error)
    expect(result.databases[4]?.results.map((entry) => entry.status)).toEqual(['error', 'not_executed', 'not_executed'])
    expect(await scalar(path(4), 'SELECT count(*) FROM __drizzle_migrations')).toBe(0)
    expect(await recordedNames(path(5))).toEqual(generated)

    // Fixed, the rerun finishes t4; then the whole fleet rolls back, keeping cascading children through
    // the rebuild of `users` in down.sql.
    await withDb(path(4), (db) => db.execute('DROP TABLE users'))
    expect(failedNames(await migrate(configOf(targets), twoThreads))).toEqual([])
    await withDb(path(3), (db) =>
      db.executeMultiple(
        "INSERT INTO users (id, name) VALUES ('u1', 'Ada'), ('u2', 'Bo'); INSERT INTO posts (title, author_id) VALUES ('a', 'u1'), ('b', 'u1'), ('c', 'u2')",
      ),
    )
    const down = await rollback(configOf(targets), twoThreads)
    expect(down.ok).toBe(true)
    expect(down.databases.map((database) => database.results.map((entry) => entry.status).join())).toEqual(
      Array(targets.length).fill('success'),
    )
    expect(await scalar(path(3), 'SELECT count(*) FROM posts')).toBe(3)
    expect(await recordedNames(path(10))).toEqual(generated.slice(0, 2))
    expect((await dropDatabases(configOf(targets))).databases.every((entry) => entry.status === 'dropped')).toBe(true)
  })
})

describe('a fleet with a database on a server that is not there', () => {
  it('fails that database with a clear error and migrates the others', async () => {
    const closedPort = await findFreeLoopbackPort()
    const secret = 'TOKEN-must-not-leak'
    const { targets, path } = fileFleet('mixed', 3)
    await createDatabases(configOf(targets))
    const unreachable = { name: 'remote', url: `http://127.0.0.1:${closedPort}`, authToken: secret }
    const result = await migrate(configOf([...targets, unreachable]))
    expect(failedNames(result)).toEqual(['remote'])
    expect(result.databases[3]?.error?.message).toBe(
      `Cannot reach database remote at http://127.0.0.1:${closedPort}: connection refused (ECONNREFUSED). Is the server running, and are the host and port right?`,
    )
    expect(everythingIn(result)).not.toContain(secret)
    expect(await recordedNames(path(2))).toEqual(generated)
  })
})
