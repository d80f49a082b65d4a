import { existsSync, readdirSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { buildPackages } from '../test-utils/build-packages.js'
import { runBin } from '../test-utils/run-bin.js'
import { createTempProject, type TempProject } from '../test-utils/temp-project.js'

// What a new user meets first, through the built bin on real projects and real SQLite files: config problems,
// near-miss flags, the lookup from a subfolder, `status --check`, databases that do not exist, fleet reports.

const domain = (attributes = 'name: attr.string()') => `
import { attr, defineDomain, defineRepo, defineResource } from '@ash-sqlite/resource'
const main = defineRepo({ name: 'main', url: 'file:data/main.db' })
const User = defineResource({
  name: 'User',
  attributes: { id: attr.integerPrimaryKey(), ${attributes} },
  sqlite: { repo: main, table: 'users' },
})
export const accounts = defineDomain({ name: 'accounts', resources: [User] })
`

const config = `
import { defineConfig } from '@ash-sqlite/migrations'
import { accounts } from './src/domain'
export default defineConfig({ domains: [accounts] })
`

let project: TempProject | undefined

beforeAll(async () => {
  await buildPackages(['resource', 'snapshot', 'migrations'])
}, 180_000)

afterEach(async () => {
  await project?.remove()
  project = undefined
})

/** A project with one repo; `files` adds or replaces files (null leaves a default file out). */
async function newProject(files: Record<string, string | null> = {}): Promise<string> {
  const all = { 'ash-sqlite.config.ts': config, 'src/domain.ts': domain(), ...files }
  project = await createTempProject(
    Object.fromEntries(Object.entries(all).filter((entry): entry is [string, string] => entry[1] !== null)),
  )
  return project.dir
}

describe('config problems', () => {
  it('lists every problem of an invalid config, with a suggestion for a misspelt option', async () => {
    const dir = await newProject({
      'ash-sqlite.config.ts': "export default { domains: 'blog', migrationDir: 'db', snapshotsDir: 4 }\n",
    })
    const run = await runBin(['status'], { cwd: dir })
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'ash-sqlite.config.ts: 3 problems:\n' +
        '  - domains must be an array of domains created with defineDomain(), got the string "blog"\n' +
        '  - snapshotsDir must be a directory path (a string), got number 4\n' +
        '  - unknown option "migrationDir" (did you mean "migrationsDir"?) (accepted: domains, migrationsDir, snapshotsDir)\n',
    })
  })

  it('loads a CommonJS config that sets module.exports', async () => {
    const dir = await newProject({
      'ash-sqlite.config.ts': null,
      'ash-sqlite.config.cjs': `
const { attr, defineDomain, defineRepo, defineResource } = require('@ash-sqlite/resource')
const main = defineRepo({ name: 'main', url: 'file:data/main.db' })
const User = defineResource({ name: 'User', attributes: { id: attr.integerPrimaryKey() }, sqlite: { repo: main, table: 'users' } })
module.exports = { domains: [defineDomain({ name: 'accounts', resources: [User] })] }
`,
    })
    const run = await runBin(['generate', '--dry-run'], { cwd: dir })
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('CREATE TABLE `users`')
  })

  it('finds the config from a subfolder, and resolves the database path from the config folder', async () => {
    const dir = await newProject()
    expect((await runBin(['create'], { cwd: join(dir, 'src') })).code).toBe(0)
    expect(existsSync(join(dir, 'data', 'main.db'))).toBe(true)
    expect(existsSync(join(dir, 'src', 'data'))).toBe(false)
  })
})

describe('near misses', () => {
  it('suggests the flag a near-miss meant, exit 2', async () => {
    const dir = await newProject()
    expect(await runBin(['migrate', '--steps', '1'], { cwd: dir })).toEqual({
      code: 2,
      stdout: '',
      stderr: 'Unknown option --steps for "migrate". Did you mean --step? Run ash-sqlite migrate --help.\n',
    })
    expect((await runBin(['statsu'], { cwd: dir })).stderr).toContain(
      'Unknown command "statsu". Did you mean "status"?',
    )
  })

  it('suggests the DSL option a typo meant, and points unique: true to identities', async () => {
    const typo = await newProject({ 'src/domain.ts': domain('name: attr.string({ allowNul: false })') })
    expect(await runBin(['generate'], { cwd: typo })).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'User.attributes.name.allowNul: unknown option "allowNul". Did you mean "allowNull"? The known options are: ' +
        'allowNull, default, primaryKey, generated, source, renamedFrom, description\n',
    })
    await project?.write({ 'src/domain.ts': domain('email: attr.string({ unique: true })') })
    const unique = await runBin(['generate'], { cwd: typo })
    expect(unique.code).toBe(1)
    expect(unique.stderr).toBe(
      'User.attributes.email.unique: unknown option "unique". Uniqueness is declared as an identity of the resource, ' +
        'not on the attribute: remove "unique" and add identities: { uniqueEmail: [\'email\'] } (a unique index over email)\n',
    )
  })

  it('shows examples in --help', async () => {
    const run = await runBin(['status', '--help'], { cwd: await newProject() })
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/EXAMPLES\n\n {2}ash-sqlite status {2,}List each database's migrations/)
    expect(run.stdout).toMatch(/^ {2}ash-sqlite status --check +CI or deploy: exit 1 unless/m)
  })
})

describe('status --check and missing databases', () => {
  it('says that a database does not exist (exit 1) for status, status --check and rollback', async () => {
    const dir = await newProject()
    expect((await runBin(['generate', 'init'], { cwd: dir })).code).toBe(0)
    const [init] = readdirSync(join(dir, 'migrations', 'main'))

    const status = await runBin(['status'], { cwd: dir })
    expect(status.code).toBe(1)
    expect(status.stdout).toBe(`main file:data/main.db\n  database does not exist\n  pending  ${init}\n  1 pending\n`)
    expect(status.stderr).toBe(
      "Database file:data/main.db does not exist: ash-sqlite migrate creates and migrates it, or check the repo's url.\n",
    )

    const check = await runBin(['status', '--check', '--json'], { cwd: dir })
    expect(check.code).toBe(1)
    expect(JSON.parse(check.stdout)).toMatchObject({
      ok: false,
      check: { ok: false, problems: [{ repo: 'main', kind: 'database_missing', migrations: [init] }] },
      databases: [{ repo: 'main', exists: false }],
    })

    const rollback = await runBin(['rollback'], { cwd: dir })
    expect(rollback.code).toBe(1)
    expect(rollback.stdout).toContain(
      "Database file:data/main.db does not exist, so nothing was rolled back. Check the repo's url (relative file: paths start at the config's folder).",
    )
    expect(existsSync(join(dir, 'data', 'main.db'))).toBe(false)
  })

  it('status --check exits 1 while anything is pending or edited, 0 once everything is applied', async () => {
    const dir = await newProject()
    expect((await runBin(['create'], { cwd: dir })).code).toBe(0)
    expect((await runBin(['generate', 'init'], { cwd: dir })).code).toBe(0)
    const [init] = readdirSync(join(dir, 'migrations', 'main'))

    // Plain status reports pending migrations without failing; --check fails on them.
    expect((await runBin(['status'], { cwd: dir })).code).toBe(0)
    const pending = await runBin(['status', '--check'], { cwd: dir })
    expect(pending.code).toBe(1)
    expect(pending.stderr).toBe(`Not migrated:\n  main: 1 pending (${init}): run ash-sqlite migrate\n`)

    expect((await runBin(['migrate'], { cwd: dir })).code).toBe(0)
    const clean = await runBin(['status', '--check'], { cwd: dir })
    expect(clean.code).toBe(0)
    expect(clean.stdout).toContain('Every database is up to date.\n')

    await writeFile(
      join(dir, 'migrations', 'main', `${init}`, 'migration.sql'),
      'CREATE TABLE `edited` (`id` integer);',
    )
    const changed = await runBin(['status', '--check'], { cwd: dir })
    expect(changed.code).toBe(1)
    expect(changed.stderr).toBe(
      `Not migrated:\n  main: 1 changed (${init}): restore the applied migration.sql files, or migrate with --allow-changed\n`,
    )
  })
})

describe('fleet reports', () => {
  const fleetConfig = `
import { attr, defineDomain, defineRepo, defineResource } from '@ash-sqlite/resource'
const tenants = defineRepo({
  name: 'tenants',
  databases: async () => Array.from({ length: 6 }, (_, i) => ({ name: 't' + i, url: 'file:data/t' + i + '.db' })),
})
const Note = defineResource({ name: 'Note', attributes: { id: attr.integerPrimaryKey(), body: attr.string() }, sqlite: { repo: tenants, table: 'notes' } })
export default { domains: [defineDomain({ name: 'notes', resources: [Note] })] }
`

  it('prints a summary and only the failed databases, and every database with --verbose', async () => {
    const dir = await newProject({ 'ash-sqlite.config.ts': fleetConfig })
    expect((await runBin(['create'], { cwd: dir })).stdout).toBe(
      'tenants: 6 databases, 6 ok (6 not listed: --verbose lists every database)\n',
    )
    expect((await runBin(['generate', 'notes'], { cwd: dir })).code).toBe(0)
    await writeFile(join(dir, 'data', 't3.db'), 'this is not a SQLite database\n'.repeat(50))

    const migrate = await runBin(['migrate'], { cwd: dir })
    expect(migrate.code).toBe(1)
    const lines = migrate.stdout.split('\n')
    expect(lines[0]).toBe('tenants/t3 file:data/t3.db')
    expect(migrate.stdout).not.toContain('tenants/t0')
    expect(migrate.stdout).toContain(
      'tenants: 6 databases, 5 ok, 1 failed (5 not listed: --verbose lists every database)\n',
    )
    expect(migrate.stderr).toBe('1 database failed: rerun to continue after fixing the cause.\n')

    const verbose = await runBin(['status', '--verbose'], { cwd: dir })
    for (const name of ['t0', 't1', 't2', 't3', 't4', 't5']) expect(verbose.stdout).toContain(`tenants/${name} `)
    const quiet = await runBin(['status'], { cwd: dir })
    expect(quiet.stdout).toContain('tenants/t3 ')
    expect(quiet.stdout).not.toContain('tenants/t0 ')
    expect(quiet.stdout).toContain(
      'tenants: 6 databases, 5 up to date, 1 not up to date (5 not listed: --verbose lists every database)\n',
    )
  })
})
