import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createClient } from '@libsql/client'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { buildPackages } from '../test-utils/build-packages.js'
import { plainText, runBin, runBinInTerminal } from '../test-utils/run-bin.js'
import { createTempProject, type TempProject } from '../test-utils/temp-project.js'

// End-to-end: the built bin in a child process, on real projects and real SQLite files.

const config = `
import { defineConfig } from '@ash-sqlite/migrations'
import { accounts } from './src/domain'
export default defineConfig({ domains: [accounts] })
`

function domain(attributes: string): string {
  return `
import { attr, defineDomain, defineRepo, defineResource } from '@ash-sqlite/resource'
const main = defineRepo({ name: 'main', url: 'file:data/main.db' })
const User = defineResource({
  name: 'User',
  attributes: { id: attr.integerPrimaryKey(), ${attributes} },
  sqlite: { repo: main, table: 'users' },
})
export const accounts = defineDomain({ name: 'accounts', resources: [User] })
`
}

const withName = domain('name: attr.string()')
const withAge = domain('name: attr.string(), age: attr.integer({ default: 0 })')
const withFullName = domain('fullName: attr.string()')

let project: TempProject | undefined

beforeAll(async () => {
  await buildPackages(['resource', 'snapshot', 'migrations'])
}, 180_000)

afterEach(async () => {
  await project?.remove()
  project = undefined
})

async function newProject(domainSource = withName): Promise<TempProject> {
  project = await createTempProject({ 'ash-sqlite.config.ts': config, 'src/domain.ts': domainSource })
  return project
}

/** Every file under the project's migrations and snapshots folders, with its contents. */
function generatedFiles(dir: string): Record<string, string> {
  const files: Record<string, string> = {}
  for (const root of ['migrations', 'resource_snapshots']) {
    if (!existsSync(join(dir, root))) continue
    for (const entry of readdirSync(join(dir, root), { recursive: true, encoding: 'utf8' })) {
      const path = join(dir, root, entry)
      if (!entry.includes('.')) continue
      files[join(root, entry)] = readFileSync(path, 'utf8')
    }
  }
  return files
}

function migrationFolders(dir: string): string[] {
  return readdirSync(join(dir, 'migrations', 'main')).sort()
}

async function columnsOf(dir: string, table: string): Promise<string[]> {
  const client = createClient({ url: `file:${join(dir, 'data', 'main.db')}` })
  try {
    const result = await client.execute(`SELECT name FROM pragma_table_info('${table}')`)
    return result.rows.map((row) => String(row.name))
  } finally {
    client.close()
  }
}

describe('ash-sqlite (built bin)', () => {
  it('generates, migrates, reports status and rolls back a real project', async () => {
    const { dir } = await newProject()
    const bin = (...args: string[]) => runBin(args, { cwd: dir })

    expect(await bin('create')).toMatchObject({ code: 0, stdout: 'created  main  file:data/main.db\n', stderr: '' })

    const generated = await bin('generate', 'init')
    expect(generated.code).toBe(0)
    const [init] = migrationFolders(dir)
    expect(init).toMatch(/^\d{14}_init$/)
    const snapshot = Object.keys(generatedFiles(dir)).find((path) => path.startsWith('resource_snapshots'))
    expect(generated.stdout).toBe(
      [
        `created ${join('migrations', 'main', `${init}`, 'migration.sql')}`,
        `created ${join('migrations', 'main', `${init}`, 'down.sql')}`,
        `created ${join('migrations', 'main', `${init}`, 'snapshot.json')}`,
        `created ${snapshot}`,
        'Wrote 4 files.',
        '',
      ].join('\n'),
    )
    expect(await bin('generate', '--check')).toEqual({ code: 0, stdout: 'No changes\n', stderr: '' })

    const migrated = await bin('migrate')
    expect(migrated.code).toBe(0)
    expect(migrated.stdout).toMatch(
      new RegExp(`^main file:data/main\\.db\\n  ✓  ${init}  up  \\S+ ms\\n  1 applied in \\S+ ms\\n$`),
    )
    expect(await columnsOf(dir, 'users')).toEqual(['id', 'name'])

    const status = await bin('status', '--json')
    expect(status.code).toBe(0)
    expect(JSON.parse(status.stdout)).toEqual({
      ok: true,
      conflicts: [],
      databases: [
        {
          repo: 'main',
          database: 'main',
          url: 'file:data/main.db',
          exists: true,
          migrations: [{ name: init, state: 'applied', appliedAt: expect.any(String) }],
          warnings: [],
        },
      ],
    })

    await project?.write({ 'src/domain.ts': withAge })
    const before = generatedFiles(dir)
    const check = await bin('generate', '--check')
    expect(check.code).toBe(1)
    expect(check.stdout).toContain('Pending changes: 4 files would be written. Run ash-sqlite generate.')
    expect(generatedFiles(dir)).toEqual(before)

    expect((await bin('generate', '--name', 'add_age')).code).toBe(0)
    const addAge = migrationFolders(dir)[1]
    expect(addAge).toMatch(/^\d{14}_add_age$/)
    expect((await bin('migrate')).code).toBe(0)
    expect(await columnsOf(dir, 'users')).toEqual(['id', 'name', 'age'])

    const rolledBack = await bin('rollback')
    expect(rolledBack.code).toBe(0)
    expect(rolledBack.stdout).toMatch(new RegExp(`  ✓  ${addAge}  down  \\S+ ms\\n  1 rolled back in`))
    expect(await columnsOf(dir, 'users')).toEqual(['id', 'name'])
    const afterRollback = JSON.parse((await bin('status', '--json')).stdout)
    expect(afterRollback.databases[0].migrations.map((m: { state: string }) => m.state)).toEqual(['applied', 'pending'])

    const all = await bin('rollback', '--all', '--json')
    expect(all.code).toBe(0)
    expect(JSON.parse(all.stdout)).toMatchObject({
      ok: true,
      direction: 'down',
      dryRun: false,
      databases: [{ repo: 'main', results: [{ migrationName: init, direction: 'down', status: 'success' }] }],
    })
    expect(await columnsOf(dir, 'users')).toEqual([])
  })

  it('exits 2 for a rename it cannot ask about, writes nothing, and names the flag', async () => {
    const { dir } = await newProject()
    expect((await runBin(['generate'], { cwd: dir })).code).toBe(0)
    await project?.write({ 'src/domain.ts': withFullName })
    const before = generatedFiles(dir)

    const ambiguous = await runBin(['generate'], { cwd: dir })
    expect(ambiguous.code).toBe(2)
    expect(ambiguous.stdout).toBe('')
    expect(ambiguous.stderr).toContain(
      '[main] column users.full_name is new and name was dropped: --rename users.name=full_name',
    )
    expect(ambiguous.stderr).toContain(
      "Or declare it in the resource, which every later generate sees too: renamedFrom: 'name' in the options of the attribute for users.full_name.\n",
    )
    expect(generatedFiles(dir)).toEqual(before)

    const json = await runBin(['generate', '--json'], { cwd: dir })
    expect(json.code).toBe(2)
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, error: { code: 'rename_ambiguity' } })

    const decided = await runBin(['generate', '--rename', 'users.name=full_name'], { cwd: dir })
    expect(decided.code).toBe(0)
    const folder = migrationFolders(dir)[1] ?? ''
    expect(readFileSync(join(dir, 'migrations', 'main', folder, 'migration.sql'), 'utf8')).toBe(
      'ALTER TABLE `users` RENAME COLUMN `name` TO `full_name`;',
    )
  })

  it('prints the SQL with --dry-run and the summary with --json, writing nothing', async () => {
    const { dir } = await newProject()
    const dryRun = await runBin(['generate', '--dry-run'], { cwd: dir })
    expect(dryRun.code).toBe(0)
    expect(dryRun.stdout).toMatch(
      /would write migrations\/main\/\d{14}_migrate_resources1\/migration\.sql\n {4}CREATE TABLE `users` \(/,
    )
    expect(dryRun.stdout).toContain('Dry run: 4 files would be written, nothing was.')

    const json = await runBin(['generate', '--check', '--json'], { cwd: dir })
    expect(json.code).toBe(1)
    const summary = JSON.parse(json.stdout)
    expect(summary).toMatchObject({
      ok: true,
      changed: true,
      mode: 'check',
      repos: [{ repo: 'main', changedTables: ['users'] }],
    })
    expect(summary.files).toHaveLength(4)
    expect(generatedFiles(dir)).toEqual({})
  })

  it('refuses drop without --force off a terminal, and drops with it', async () => {
    const { dir } = await newProject()
    expect((await runBin(['create'], { cwd: dir })).code).toBe(0)
    const database = join(dir, 'data', 'main.db')

    expect(await runBin(['drop'], { cwd: dir })).toEqual({
      code: 2,
      stdout: '',
      stderr: 'drop deletes databases and there is no terminal to confirm it: pass --force.\n',
    })
    expect(existsSync(database)).toBe(true)

    expect(await runBin(['drop', '--force'], { cwd: dir })).toEqual({
      code: 0,
      stdout: 'dropped  main  file:data/main.db\n',
      stderr: '',
    })
    expect(existsSync(database)).toBe(false)
  })

  describe('in a terminal', () => {
    const renamePrompt = 'Was it renamed?'
    const down = '\u001B[B'
    const enter = '\r'

    it('asks about a possible rename and renames when told so', async () => {
      const { dir } = await newProject()
      expect((await runBin(['generate'], { cwd: dir })).code).toBe(0)
      await project?.write({ 'src/domain.ts': withFullName })

      const run = await runBinInTerminal(['generate'], { cwd: dir, answers: [{ when: renamePrompt, keys: [enter] }] })
      expect(run.code).toBe(0)
      expect(plainText(run.stdout)).toContain(
        '[main] Column users.full_name is new and name was dropped. Was it renamed?',
      )
      const folder = migrationFolders(dir)[1] ?? ''
      expect(readFileSync(join(dir, 'migrations', 'main', folder, 'migration.sql'), 'utf8')).toBe(
        'ALTER TABLE `users` RENAME COLUMN `name` TO `full_name`;',
      )
    })

    it('creates a new column (and warns about the dropped one) when the answer is "create new"', async () => {
      const { dir } = await newProject()
      expect((await runBin(['generate'], { cwd: dir })).code).toBe(0)
      await project?.write({ 'src/domain.ts': withFullName })

      const run = await runBinInTerminal(['generate'], {
        cwd: dir,
        answers: [{ when: renamePrompt, keys: [down, enter] }],
      })
      expect(run.code).toBe(0)
      expect(plainText(run.stdout)).toContain('warning: main: column users.name is dropped with its data')
      const folder = migrationFolders(dir)[1] ?? ''
      expect(readFileSync(join(dir, 'migrations', 'main', folder, 'migration.sql'), 'utf8')).toBe(
        'ALTER TABLE `users` ADD `full_name` text;--> statement-breakpoint\nALTER TABLE `users` DROP COLUMN `name`;',
      )
    })

    it('asks before drop, and keeps the database when the answer is no', async () => {
      const { dir } = await newProject()
      expect((await runBin(['create'], { cwd: dir })).code).toBe(0)
      const database = join(dir, 'data', 'main.db')

      const kept = await runBinInTerminal(['drop'], {
        cwd: dir,
        answers: [{ when: 'cannot be undone', keys: [enter] }],
      })
      expect(kept.code).toBe(1)
      expect(plainText(kept.stdout)).toContain(`Delete main (${join('data', 'main.db')})? This cannot be undone.`)
      expect(plainText(kept.stdout)).toContain('Nothing was deleted.')
      expect(existsSync(database)).toBe(true)

      const dropped = await runBinInTerminal(['drop'], {
        cwd: dir,
        answers: [{ when: 'cannot be undone', keys: ['y'] }],
      })
      expect(dropped.code).toBe(0)
      expect(existsSync(database)).toBe(false)
    })
  })

  describe('cold start', () => {
    const recorder = fileURLToPath(new URL('./__fixtures__/record-loads.mjs', import.meta.url))

    async function loadedModules(args: string[], cwd: string): Promise<{ code: number | null; modules: string[] }> {
      const log = join(cwd, 'loaded-modules.txt')
      const run = await runBin(args, { cwd, env: { ASH_SQLITE_LOAD_LOG: log }, nodeArgs: ['--import', recorder] })
      return { code: run.code, modules: readFileSync(log, 'utf8').split('\n') }
    }

    it('--help loads neither drizzle nor the generator, the migrator, jiti or libSQL', async () => {
      const { dir } = await newProject()
      const { code, modules } = await loadedModules(['--help'], dir)

      expect(code).toBe(0)
      expect(modules.some((url) => url.includes('/dist/cli/main.js'))).toBe(true)
      for (const heavy of [
        'drizzle-kit',
        'drizzle-orm',
        '/dist/generator/',
        '/dist/migrator/',
        'jiti',
        '@libsql',
        '@clack',
      ]) {
        expect(modules.filter((url) => url.includes(heavy))).toEqual([])
      }
    })

    it('migrate loads the migrator and libSQL but never drizzle-kit or the generator', async () => {
      const { dir } = await newProject()
      expect((await runBin(['generate'], { cwd: dir })).code).toBe(0)
      const { code, modules } = await loadedModules(['migrate'], dir)

      expect(code).toBe(1) // the database folder does not exist yet: still a full run of the migrator
      expect(modules.some((url) => url.includes('/dist/migrator/'))).toBe(true)
      expect(modules.some((url) => url.includes('@libsql/client'))).toBe(true)
      for (const heavy of ['drizzle-kit', '/dist/generator/', '@clack']) {
        expect(modules.filter((url) => url.includes(heavy))).toEqual([])
      }
    })
  })
})
