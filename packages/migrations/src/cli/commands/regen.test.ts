import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { buildPackages } from '../../test-utils/build-packages.js'
import { commit, gitStatus, gitTestEnv, initGitRepo } from '../../test-utils/git-repo.js'
import { runBin } from '../../test-utils/run-bin.js'
import { withDb } from '../../test-utils/sqlite-file.js'
import { createTempProject, type TempProject, tempProjectsDir } from '../../test-utils/temp-project.js'

// End-to-end: `ash-sqlite regen` through the built bin, in a real git repository.

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
  attributes: { id: attr.integerPrimaryKey(), name: attr.string(), ${attributes} },
  sqlite: { repo: main, table: 'users' },
})
export const accounts = defineDomain({ name: 'accounts', resources: [User] })
`
}

// The temp projects lie inside this repository's work tree (in an ignored folder): stop git from finding it.
const env = { ...gitTestEnv, GIT_CEILING_DIRECTORIES: tempProjectsDir }

let project: TempProject | undefined

beforeAll(async () => {
  await buildPackages(['resource', 'snapshot', 'migrations'])
}, 180_000)

afterEach(async () => {
  await project?.remove()
  project = undefined
})

async function newProject(): Promise<TempProject> {
  project = await createTempProject({
    'ash-sqlite.config.ts': config,
    'src/domain.ts': domain(''),
    '.gitignore': 'data/\n.ash-sqlite/\n',
  })
  return project
}

function folders(dir: string): string[] {
  return readdirSync(join(dir, 'migrations', 'main')).sort()
}

function snapshots(dir: string): string[] {
  return readdirSync(join(dir, 'resource_snapshots', 'main', 'users')).sort()
}

async function recorded(dir: string): Promise<string[]> {
  return withDb(join(dir, 'data', 'main.db'), async (db) =>
    (await db.execute('SELECT name FROM __drizzle_migrations ORDER BY id')).rows.map((row) => String(row.name)),
  )
}

describe('ash-sqlite regen (built bin)', () => {
  it('rolls back, deletes and regenerates the untracked migration; --dry-run changes nothing; -m migrates', async () => {
    const { dir } = await newProject()
    const bin = (...args: string[]) => runBin(args, { cwd: dir, env })
    await initGitRepo(dir)
    expect((await bin('create')).code).toBe(0)
    expect((await bin('generate', 'init')).code).toBe(0)
    await commit(dir, 'init')
    await project?.write({ 'src/domain.ts': domain('age: attr.integer({ default: 0 })') })
    expect((await bin('generate', 'add_age')).code).toBe(0)
    expect((await bin('migrate')).code).toBe(0)
    const [init, addAge] = folders(dir)
    const [initSnapshot, addAgeSnapshot] = snapshots(dir)

    const dryRun = await bin('regen', '--dry-run', '--name', 'combined')
    expect(dryRun.code).toBe(0)
    expect(dryRun.stderr).toBe('')
    expect(dryRun.stdout).toContain(`would roll back  main  ${addAge}\n`)
    expect(dryRun.stdout).toContain(`would delete ${join('migrations', 'main', `${addAge}`)}\n`)
    expect(dryRun.stdout).toContain(
      `would delete ${join('resource_snapshots', 'main', 'users', `${addAgeSnapshot}`)}\n`,
    )
    expect(dryRun.stdout).toMatch(
      /would write migrations\/main\/\d{14}_combined\/migration\.sql\n {4}ALTER TABLE `users` ADD `age` integer DEFAULT 0;\n/,
    )
    expect(dryRun.stdout).toContain(
      'Dry run: would roll back 1 migration, delete 1 migration and 1 snapshot file, write 4 files; nothing was changed.\n',
    )
    expect(folders(dir)).toEqual([init, addAge])
    expect(await recorded(dir)).toEqual([init, addAge])

    const regen = await bin('regen', 'combined', '-m')
    expect(regen.code).toBe(0)
    expect(regen.stderr).toBe('')
    const [, combined] = folders(dir)
    expect(combined).toMatch(/^\d{14}_combined$/)
    const lines = regen.stdout.split('\n')
    expect(lines.slice(0, 3)).toEqual([
      'main file:data/main.db',
      expect.stringMatching(new RegExp(`^  ✓  ${addAge}  down  \\S+ ms$`)),
      expect.stringMatching(/^ {2}1 rolled back in \S+ ms$/),
    ])
    expect(lines).toContain(`deleted ${join('migrations', 'main', `${addAge}`)}`)
    expect(lines).toContain(`created ${join('migrations', 'main', `${combined}`, 'migration.sql')}`)
    expect(lines).toContain(
      'Regenerated: rolled back 1 migration, deleted 1 migration and 1 snapshot file, wrote 4 files.',
    )
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^  ✓  ${combined}  up  \\S+ ms$`)))
    expect(folders(dir)).toEqual([init, combined])
    expect(snapshots(dir)).toEqual([initSnapshot, `${combined?.slice(0, 14)}.json`])
    expect(await recorded(dir)).toEqual([init, combined])
    // The committed migration and snapshot are untouched; the new ones are untracked.
    expect(await gitStatus(dir)).toEqual(
      [
        `?? migrations/main/${combined}/down.sql`,
        `?? migrations/main/${combined}/migration.sql`,
        `?? migrations/main/${combined}/snapshot.json`,
        `?? resource_snapshots/main/users/${combined?.slice(0, 14)}.json`,
        ' M src/domain.ts',
      ].sort(),
    )

    // Again, without a name: the regenerated migration is itself untracked, so it is replaced.
    const json = await bin('regen', '--json')
    expect(json.code).toBe(0)
    expect(json.stderr).toBe('')
    const [, renamed] = folders(dir)
    expect(renamed).toMatch(/^\d{14}_migrate_resources2$/)
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: true,
      dryRun: false,
      repos: [
        { repo: 'main', untrackedMigrations: [combined], rollbacks: [{ database: 'main', migrations: [combined] }] },
      ],
      rollback: {
        ok: true,
        databases: [{ database: 'main', results: [{ migrationName: combined, status: 'success' }] }],
      },
      removed: [join(dir, 'migrations', 'main', `${combined}`), expect.stringMatching(/users\/\d{14}\.json$/)],
      files: [
        { path: join(dir, 'migrations', 'main', `${renamed}`, 'migration.sql') },
        { path: join(dir, 'migrations', 'main', `${renamed}`, 'down.sql') },
        { path: join(dir, 'migrations', 'main', `${renamed}`, 'snapshot.json') },
        { path: expect.stringMatching(/users\/\d{14}\.json$/) },
      ],
      migrate: null,
    })
    expect(await recorded(dir)).toEqual([init])
  })

  it('exits 1 with a clear error outside a git work tree, and writes nothing', async () => {
    const { dir } = await newProject()

    const result = await runBin(['regen', '--json'], { cwd: dir, env })

    expect(result.code).toBe(1)
    expect(JSON.parse(result.stdout)).toEqual({
      ok: false,
      error: { code: 'not_a_git_repo', message: expect.stringContaining(`${dir} is not inside a git work tree`) },
    })
    expect(result.stderr).toBe(
      `${dir} is not inside a git work tree (not a git repository (or any of the parent directories): .git). regen deletes the migrations git does not track yet, so it needs one: run git init, or use generate.\n`,
    )
    expect(readdirSync(dir).sort()).toEqual(['.gitignore', 'ash-sqlite.config.ts', 'src'])
  })
})
