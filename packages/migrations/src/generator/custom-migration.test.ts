/**
 * `generate --custom NAME`: an empty migration in the lineage for hand-written SQL, that migrate, rollback,
 * status, drift and the next generate treat like any other.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { attr, defineDomain, defineRepo, defineResource } from '@ash-sqlite/resource'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { runCli } from '../cli/main.js'
import { resolveConfig } from '../config/resolve-config.js'
import { drift } from '../drift/drift.js'
import { migrate } from '../migrator/migrate.js'
import { rollback } from '../migrator/rollback.js'
import { status } from '../migrator/status.js'
import { rowsOf } from '../pull/test-utils/round-trip.js'
import { buildPackages } from '../test-utils/build-packages.js'
import { captureIo } from '../test-utils/capture-io.js'
import { createTempProject, type TempProject } from '../test-utils/temp-project.js'
import { generateCustomMigration } from './custom-migration.js'
import { generate } from './generate.js'

let project: TempProject
beforeEach(async () => {
  project = await createTempProject()
})
afterEach(async () => {
  await project.remove()
})

const main = defineRepo({ name: 'main', url: 'file:main.db' })
const userWith = (extra: Record<string, ReturnType<typeof attr.string>> = {}) =>
  defineResource({
    name: 'User',
    attributes: { id: attr.integerPrimaryKey(), email: attr.string({ allowNull: false }), ...extra },
    sqlite: { repo: main, table: 'users' },
  })
const configWith = (user: ReturnType<typeof userWith>) =>
  resolveConfig({ domains: [defineDomain({ name: 'accounts', resources: [user] })] }, { cwd: project.dir })
const tick = (second: number) => new Date(Date.UTC(2026, 0, 2, 3, 4, second))
const migrationsDir = () => join(project.dir, 'migrations', 'main')

describe('generate --custom', () => {
  test('an empty migration in the lineage that every command treats like any other', async () => {
    const config = configWith(userWith())
    await generate(config, { name: 'users', now: tick(0) })
    const custom = await generateCustomMigration(config, { name: 'seed_users', now: tick(0) })
    expect(custom.folder).toBe('20260102030401_seed_users')
    const folder = join(migrationsDir(), custom.folder)
    expect(await readFile(join(folder, 'migration.sql'), 'utf8')).toBe('')
    expect(await readFile(join(folder, 'down.sql'), 'utf8')).toBe('')
    const first = JSON.parse(await readFile(join(migrationsDir(), '20260102030400_users', 'snapshot.json'), 'utf8'))
    const chained = JSON.parse(await readFile(join(folder, 'snapshot.json'), 'utf8'))
    expect(chained.prevIds).toEqual([first.id])
    expect(chained.ddl).toEqual(first.ddl)
    // Nothing to generate: the schema did not change.
    expect((await generate(config, { check: true })).changed).toBe(false)

    await writeFile(
      join(folder, 'migration.sql'),
      "INSERT INTO users (email) VALUES ('a@example.com'), ('b@example.com');",
    )
    await writeFile(join(folder, 'down.sql'), "DELETE FROM users WHERE email IN ('a@example.com', 'b@example.com');")
    expect((await migrate(config)).ok).toBe(true)
    expect(await rowsOf(join(project.dir, 'main.db'), 'SELECT email FROM users ORDER BY id')).toEqual([
      { email: 'a@example.com' },
      { email: 'b@example.com' },
    ])
    expect((await drift(config)).drifted).toBe(false)

    // The next generated migration chains on the custom one.
    const next = configWith(userWith({ name: attr.string() }))
    const generated = await generate(next, { name: 'names', now: tick(0) })
    const nextFolder = generated.repos[0]?.migration?.folder as string
    expect(nextFolder).toBe('20260102030402_names')
    expect(JSON.parse(await readFile(join(migrationsDir(), nextFolder, 'snapshot.json'), 'utf8')).prevIds).toEqual([
      chained.id,
    ])
    expect((await migrate(next)).ok).toBe(true)

    const states = async () => (await status(next)).databases[0]?.migrations.map((entry) => [entry.name, entry.state])
    expect(await states()).toEqual([
      ['20260102030400_users', 'applied'],
      ['20260102030401_seed_users', 'applied'],
      ['20260102030402_names', 'applied'],
    ])
    expect((await rollback(next, { step: 2 })).ok).toBe(true)
    expect(await rowsOf(join(project.dir, 'main.db'), 'SELECT count(*) AS n FROM users')).toEqual([{ n: 0 }])
    expect((await states())?.map(([, state]) => state)).toEqual(['applied', 'pending', 'pending'])
  })

  test('the CLI writes it, refuses a missing name', async () => {
    await buildPackages(['resource'])
    await project.write({
      'ash-sqlite.config.ts': [
        "import { attr, defineDomain, defineRepo, defineResource } from '@ash-sqlite/resource'",
        "const main = defineRepo({ name: 'main', url: 'file:main.db' })",
        "const User = defineResource({ name: 'User', attributes: { id: attr.integerPrimaryKey() }, sqlite: { repo: main, table: 'users' } })",
        "export default { domains: [defineDomain({ name: 'accounts', resources: [User] })] }",
      ].join('\n'),
    })
    const io = captureIo()
    expect(await runCli(['generate', '--custom', 'backfill', '--cwd', project.dir], io)).toBe(0)
    expect(io.out()).toMatch(/created migrations\/main\/\d{14}_backfill\/migration\.sql/)
    expect((await readdir(migrationsDir())).some((name) => name.endsWith('_backfill'))).toBe(true)
    const missing = captureIo()
    expect(await runCli(['generate', '--custom', '--cwd', project.dir], missing)).toBe(2)
    expect(missing.err()).toContain('generate --custom needs a name')
  }, 120_000)
})
