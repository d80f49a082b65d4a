/**
 * Another process holding the EXCLUSIVE lock of the database (what every large table rebuild does, and
 * what made deploy replicas fail with SQLITE_BUSY after ~2 s): migrate and status wait for it up to the
 * lock timeout, say that they wait, and fail with a clear error after it. Real processes, real files.
 */
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runCli } from '../cli/main.js'
import { captureIo } from '../test-utils/capture-io.js'
import { holdLock } from '../test-utils/lock-holder.js'
import { createTempDir, singleRepoConfig, type TempDir, writeMigration } from '../test-utils/migration-fixtures.js'
import { recordedNames } from '../test-utils/sqlite-file.js'
import { createTempProject, type TempProject } from '../test-utils/temp-project.js'
import { migrate } from './migrate.js'
import { status } from './status.js'
import type { MigratorEvent, StatusEvent } from './types.js'

let temp: TempDir
let dbPath: string
let repoDir: string
beforeEach(async () => {
  temp = await createTempDir()
  dbPath = join(temp.path, 'main.db')
  repoDir = join(temp.path, 'migrations', 'main')
  await writeMigration(repoDir, '20260101000000_a', { up: ['CREATE TABLE a (id integer PRIMARY KEY);'] })
  await writeMigration(repoDir, '20260102000000_b', { up: ['CREATE TABLE b (id integer PRIMARY KEY);'] })
  // The database and its tracking table exist, with a applied: the reads before any write meet the lock.
  await migrate(singleRepoConfig(temp.path), { step: 1 })
})
afterEach(async () => {
  await temp.remove()
})

const holdFor = (holdMs: number) => holdLock(dbPath, { mode: 'EXCLUSIVE', holdMs, sql: 'CREATE TABLE held (x)' })

describe('an EXCLUSIVE lock held by another process', () => {
  it('migrate waits for it, says so after a second, and applies once it is released', async () => {
    const holder = holdFor(2_500)
    await holder.locked
    const events: MigratorEvent[] = []
    const started = Date.now()
    const result = await migrate(singleRepoConfig(temp.path), {
      lockTimeoutMs: 30_000,
      onEvent: (event) => events.push(event),
    })

    expect(result.ok).toBe(true)
    expect(Date.now() - started).toBeGreaterThan(1_500)
    expect(events.filter((event) => event.type === 'waiting_for_lock')).toHaveLength(1)
    expect(await recordedNames(dbPath)).toEqual(['20260101000000_a', '20260102000000_b'])
    expect((await holder.done).code).toBe(0)
  }, 30_000)

  it('migrate gives up at the lock timeout with a clear error, changing nothing', async () => {
    const holder = holdFor(3_000)
    await holder.locked
    const result = await migrate(singleRepoConfig(temp.path), { lockTimeoutMs: 1_000 })

    expect(result.ok).toBe(false)
    const error = result.databases[0]?.error
    expect(error?.code).toBe('lock_timeout')
    expect(error?.message).toContain('Timed out after 1000 ms waiting for the lock of')
    expect(error?.message).toContain('--lock-timeout SECONDS')
    expect((await holder.done).code).toBe(0)
    expect(await recordedNames(dbPath)).toEqual(['20260101000000_a'])
  }, 30_000)

  it('status waits for it and reads the state once it is released', async () => {
    const holder = holdFor(2_500)
    await holder.locked
    const events: StatusEvent[] = []
    const result = await status(singleRepoConfig(temp.path), {
      lockTimeoutMs: 30_000,
      onEvent: (event) => events.push(event),
    })

    expect(result.ok).toBe(true)
    expect(result.databases[0]?.migrations.map((entry) => entry.state)).toEqual(['applied', 'pending'])
    expect(events.some((event) => event.type === 'waiting_for_lock')).toBe(true)
    expect((await holder.done).code).toBe(0)
  }, 30_000)

  it('status gives up at the lock timeout with a clear error', async () => {
    const holder = holdFor(3_000)
    await holder.locked
    const result = await status(singleRepoConfig(temp.path), { lockTimeoutMs: 1_000 })

    expect(result.ok).toBe(false)
    expect(result.databases[0]?.error?.code).toBe('lock_timeout')
    expect((await holder.done).code).toBe(0)
  }, 30_000)
})

describe('the CLI under a held lock', () => {
  let project: TempProject | undefined
  afterEach(async () => {
    await project?.remove()
    project = undefined
  })

  const projectOnTheDatabase = () =>
    createTempProject({
      'ash-sqlite.config.ts': [
        "import { defineConfig } from '@ash-sqlite/migrations'",
        "import { attr, defineDomain, defineRepo, defineResource } from '@ash-sqlite/resource'",
        `const main = defineRepo({ name: 'main', url: ${JSON.stringify(`file:${dbPath}`)} })`,
        "const A = defineResource({ name: 'A', attributes: { id: attr.integerPrimaryKey() }, sqlite: { repo: main, table: 'a' } })",
        `export default defineConfig({ domains: [defineDomain({ name: 'd', resources: [A] })], migrationsDir: ${JSON.stringify(join(temp.path, 'migrations'))} })`,
      ].join('\n'),
    })

  it('a terminal shows "waiting for the write lock held by another process" while migrate waits', async () => {
    project = await projectOnTheDatabase()
    // Long enough to outlast loading the config on a busy machine.
    const holder = holdFor(8_000)
    await holder.locked
    const io = captureIo({ tty: true })
    const code = await runCli(['migrate', '--cwd', project.dir, '--lock-timeout', '60'], io)

    expect(code).toBe(0)
    expect(io.err()).toContain('main: waiting for the write lock held by another process...')
    expect(await recordedNames(dbPath)).toEqual(['20260101000000_a', '20260102000000_b'])
    await holder.done
  }, 60_000)

  it('--lock-timeout SECONDS bounds the wait of status: exit 1 with the timeout error', async () => {
    project = await projectOnTheDatabase()
    const holder = holdFor(3_000)
    await holder.locked
    const io = captureIo()
    const code = await runCli(['status', '--cwd', project.dir, '--lock-timeout', '0.5'], io)

    expect(code).toBe(1)
    expect(io.out()).toContain('Timed out after 500 ms waiting for the lock of')
    await holder.done
  }, 60_000)

  it('rejects a --lock-timeout that is not a number of seconds', async () => {
    const io = captureIo()
    const code = await runCli(['status', '--lock-timeout', 'soon'], io)
    expect(code).toBe(2)
    expect(io.err()).toContain('--lock-timeout takes a number of seconds (0 or more), got "soon".')
  })
})
