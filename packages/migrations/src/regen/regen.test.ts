import { existsSync } from 'node:fs'
import { mkdtemp, realpath, rm, unlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { generate } from '../generator/index.js'
import { migrate } from '../migrator/index.js'
import { commit, git, gitStatus, useGitTestEnv } from '../test-utils/git-repo.js'
import { withDb } from '../test-utils/sqlite-file.js'
import { createRegenProject, type RegenProject } from './__fixtures__/regen-project.js'
import { NotAGitRepoError, RegenBlockedError } from './errors.js'
import { regen } from './regen.js'

const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second))
const INIT = '20260101000000_init'
const ADD_AGE = '20260101000001_add_age'
const ADD_EMAIL = '20260101000002_add_email'
const COMBINED = '20260101000003_combined'

let restoreEnv: () => void
const projects: RegenProject[] = []

beforeAll(async () => {
  // Nothing above the temp folders may pass for the work tree of a test project.
  restoreEnv = useGitTestEnv({ GIT_CEILING_DIRECTORIES: await realpath(tmpdir()) })
})
afterAll(() => restoreEnv())
afterEach(async () => {
  await Promise.all(projects.splice(0).map((project) => project.remove()))
})

async function newProject(options: Parameters<typeof createRegenProject>[0] = {}): Promise<RegenProject> {
  const project = await createRegenProject(options)
  projects.push(project)
  return project
}

/** init committed and applied; add_age untracked and applied; add_email untracked, not applied. */
async function projectWithTwoUntracked(options: Parameters<typeof createRegenProject>[0] = {}): Promise<RegenProject> {
  const project = await newProject(options)
  await generate(project.config(1), { name: 'init', now: at(0) })
  await migrate(project.config(1))
  await commit(project.dir, 'init')
  await generate(project.config(2), { name: 'add_age', now: at(1) })
  await migrate(project.config(2))
  await generate(project.config(3), { name: 'add_email', now: at(2) })
  return project
}

/** What `generate` writes from the committed state alone: in a fresh clone of the repository. */
async function freshGenerateFromCommitted(project: RegenProject): Promise<Record<string, string>> {
  const clone = await newProject({ git: false })
  await git(project.dir, 'clone', '--quiet', project.dir, clone.dir)
  await generate(clone.config(3), { name: 'combined', now: at(3) })
  const files = await clone.files()
  return Object.fromEntries(Object.entries(files).filter(([path]) => path.includes('000003')))
}

/** drizzle-kit gives every snapshot.json a random id; everything else is deterministic. */
function withoutSnapshotId(file: { path: string; contents: string }): { path: string; contents: string } {
  return { ...file, contents: file.contents.replace(/"id": "[0-9a-f-]{36}"/, '"id": "<random>"') }
}

describe('regen', () => {
  test('with nothing untracked it is a plain generate, and opens no database', async () => {
    const project = await newProject()
    await generate(project.config(1), { name: 'init', now: at(0) })
    await commit(project.dir, 'init')
    const expected = await generate(project.config(2), { dryRun: true, now: at(1) })

    const result = await regen(project.config(2), { now: at(1) })

    expect(result).toMatchObject({ ok: true, dryRun: false, rollback: null, removed: [], migrate: null })
    expect(result.repos).toEqual([{ repo: 'main', migrations: [], snapshotFiles: [], rollbacks: [] }])
    expect(result.generated?.files.map(withoutSnapshotId)).toEqual(expected.files.map(withoutSnapshotId))
    const files = await project.files()
    for (const file of result.generated?.files ?? []) {
      expect(files[file.path.slice(project.dir.length + 1)]).toBe(file.contents)
    }
    expect(Object.keys(files)).toContain('migrations/main/20260101000001_migrate_resources2/migration.sql')
    expect(existsSync(join(project.dir, 'main.db'))).toBe(false)
  })

  test('with nothing untracked and no change, it writes nothing', async () => {
    const project = await newProject()
    await generate(project.config(1), { name: 'init', now: at(0) })
    await commit(project.dir, 'init')
    const before = await project.files()

    const result = await regen(project.config(1), { now: at(1) })

    expect(result.generated).toMatchObject({ changed: false, files: [] })
    expect(await project.files()).toEqual(before)
    expect(await gitStatus(project.dir)).toEqual([])
  })

  test('rolls back the applied untracked migration, deletes both, and writes one equal to a fresh generate', async () => {
    const project = await projectWithTwoUntracked()
    const expected = await freshGenerateFromCommitted(project)

    const result = await regen(project.config(3), { name: 'combined', now: at(3) })

    expect(result.ok).toBe(true)
    expect(result.repos).toEqual([
      {
        repo: 'main',
        migrations: [ADD_AGE, ADD_EMAIL],
        snapshotFiles: [
          join(project.dir, 'resource_snapshots/main/users/20260101000001.json'),
          join(project.dir, 'resource_snapshots/main/users/20260101000002.json'),
        ],
        rollbacks: [{ repo: 'main', database: 'main', url: 'file:main.db', migrations: [ADD_AGE], to: INIT }],
      },
    ])
    expect(
      result.rollback?.databases.map((database) => database.results.map((r) => [r.migrationName, r.status])),
    ).toEqual([[[ADD_AGE, 'success']]])
    expect(result.removed).toEqual([
      join(project.dir, 'migrations/main', ADD_AGE),
      join(project.dir, 'migrations/main', ADD_EMAIL),
      join(project.dir, 'resource_snapshots/main/users/20260101000001.json'),
      join(project.dir, 'resource_snapshots/main/users/20260101000002.json'),
    ])

    const files = await project.files()
    expect(Object.keys(files)).toEqual([
      `migrations/main/${INIT}/down.sql`,
      `migrations/main/${INIT}/migration.sql`,
      `migrations/main/${INIT}/snapshot.json`,
      `migrations/main/${COMBINED}/down.sql`,
      `migrations/main/${COMBINED}/migration.sql`,
      `migrations/main/${COMBINED}/snapshot.json`,
      'resource_snapshots/main/users/20260101000000.json',
      'resource_snapshots/main/users/20260101000003.json',
    ])
    for (const path of [
      `migrations/main/${COMBINED}/migration.sql`,
      `migrations/main/${COMBINED}/down.sql`,
      'resource_snapshots/main/users/20260101000003.json',
    ]) {
      expect(files[path]).toBe(expected[path])
    }
    expect(files[`migrations/main/${COMBINED}/migration.sql`]).toBe(
      'ALTER TABLE `users` ADD `age` integer DEFAULT 0;--> statement-breakpoint\nALTER TABLE `users` ADD `email` text;',
    )
    const snapshotJson = `migrations/main/${COMBINED}/snapshot.json`
    expect(withoutSnapshotId({ path: snapshotJson, contents: files[snapshotJson] ?? '' })).toEqual(
      withoutSnapshotId({ path: snapshotJson, contents: expected[snapshotJson] ?? '' }),
    )

    expect(await project.recorded('main.db')).toEqual([INIT])
    expect(await project.columns('main.db')).toEqual(['id', 'name'])
    // Committed files untouched; only the new migration and snapshot are untracked.
    expect(await gitStatus(project.dir)).toEqual([
      `?? migrations/main/${COMBINED}/down.sql`,
      `?? migrations/main/${COMBINED}/migration.sql`,
      `?? migrations/main/${COMBINED}/snapshot.json`,
      '?? resource_snapshots/main/users/20260101000003.json',
    ])
  })

  test('with migrate, applies the regenerated migration', async () => {
    const project = await projectWithTwoUntracked()

    const result = await regen(project.config(3), { name: 'combined', migrate: true, now: at(3) })

    expect(result.ok).toBe(true)
    expect(
      result.migrate?.databases.map((database) => database.results.map((r) => [r.migrationName, r.status])),
    ).toEqual([[[COMBINED, 'success']]])
    expect(await project.recorded('main.db')).toEqual([INIT, COMBINED])
    expect(await project.columns('main.db')).toEqual(['id', 'name', 'age', 'email'])
  })

  test('regenerating twice in a row replaces the previous regenerated migration', async () => {
    const project = await projectWithTwoUntracked()
    await regen(project.config(3), { name: 'combined', migrate: true, now: at(3) })

    const again = await regen(project.config(3), { name: 'again', migrate: true, now: at(4) })

    expect(again.repos[0]?.rollbacks).toEqual([
      { repo: 'main', database: 'main', url: 'file:main.db', migrations: [COMBINED], to: INIT },
    ])
    expect(await project.recorded('main.db')).toEqual([INIT, '20260101000004_again'])
    expect(Object.keys(await project.files()).filter((path) => path.endsWith('migration.sql'))).toEqual([
      `migrations/main/${INIT}/migration.sql`,
      'migrations/main/20260101000004_again/migration.sql',
    ])
  })

  test('works for a project in a subfolder of the work tree', async () => {
    const project = await projectWithTwoUntracked({ subfolder: 'apps/web' })

    const result = await regen(project.config(3), { name: 'combined', now: at(3) })

    expect(result.repos[0]?.migrations).toEqual([ADD_AGE, ADD_EMAIL])
    expect(result.removed).toHaveLength(4)
    expect(await project.recorded('main.db')).toEqual([INIT])
    expect(Object.keys(await project.files()).filter((path) => path.endsWith('migration.sql'))).toEqual([
      `migrations/main/${INIT}/migration.sql`,
      `migrations/main/${COMBINED}/migration.sql`,
    ])
  })

  test('a dry run reports the plan and changes nothing', async () => {
    const project = await projectWithTwoUntracked()
    const before = await project.files()
    const statusBefore = await gitStatus(project.dir)

    const result = await regen(project.config(3), { dryRun: true, name: 'combined', migrate: true, now: at(3) })

    expect(result).toMatchObject({ ok: true, dryRun: true, rollback: null, migrate: null })
    expect(result.repos[0]?.rollbacks).toEqual([
      { repo: 'main', database: 'main', url: 'file:main.db', migrations: [ADD_AGE], to: INIT },
    ])
    expect(result.removed).toHaveLength(4)
    expect(result.generated?.files.map((file) => file.path.slice(project.dir.length + 1))).toEqual([
      `migrations/main/${COMBINED}/migration.sql`,
      `migrations/main/${COMBINED}/down.sql`,
      `migrations/main/${COMBINED}/snapshot.json`,
      'resource_snapshots/main/users/20260101000003.json',
    ])
    expect(await project.files()).toEqual(before)
    expect(await gitStatus(project.dir)).toEqual(statusBefore)
    expect(await project.recorded('main.db')).toEqual([INIT, ADD_AGE])
    expect(existsSync(join(project.dir, '.ash-sqlite', 'staging'))).toBe(false)
  })

  test('refuses outside a git work tree, changing nothing', async () => {
    const project = await newProject({ git: false })
    await generate(project.config(1), { name: 'init', now: at(0) })
    const before = await project.files()

    const error = await regen(project.config(2), { now: at(1) }).catch((caught: unknown) => caught)

    expect(error).toBeInstanceOf(NotAGitRepoError)
    expect(error).toMatchObject({ code: 'not_a_git_repo', exitCode: 1 })
    expect((error as Error).message).toContain(`${project.dir} is not inside a git work tree`)
    expect(await project.files()).toEqual(before)
  })

  test('refuses when a committed migration is applied after an applied untracked one, changing nothing', async () => {
    const project = await newProject()
    await generate(project.config(1), { name: 'init', now: at(0) })
    await commit(project.dir, 'init')
    await generate(project.config(2), { name: 'add_age', now: at(1) })
    await generate(project.config(3), { name: 'add_email', now: at(2) })
    // add_email (from another branch, say) is committed; add_age is not. Both are applied.
    await commit(project.dir, 'add_email', [
      `migrations/main/${ADD_EMAIL}`,
      'resource_snapshots/main/users/20260101000002.json',
    ])
    await migrate(project.config(3))
    const before = await project.files()
    const statusBefore = await gitStatus(project.dir)

    const error = await regen(project.config(3), { now: at(3) }).catch((caught: unknown) => caught)

    expect(error).toBeInstanceOf(RegenBlockedError)
    expect(error).toMatchObject({ code: 'regen_blocked' })
    expect((error as RegenBlockedError).reasons).toEqual([
      `main: ${ADD_EMAIL} (tracked by git) is applied after the untracked migration ${ADD_AGE}, and regen only rolls back untracked migrations. Roll the database back yourself (ash-sqlite rollback --to ${INIT}), or commit ${ADD_AGE}.`,
    ])
    expect(await project.files()).toEqual(before)
    expect(await gitStatus(project.dir)).toEqual(statusBefore)
    expect(await project.recorded('main.db')).toEqual([INIT, ADD_AGE, ADD_EMAIL])
  })

  test('refuses an applied untracked migration that has no down.sql', async () => {
    const project = await projectWithTwoUntracked()
    await unlink(join(project.dir, 'migrations/main', ADD_AGE, 'down.sql'))

    const error = await regen(project.config(3), { now: at(3) }).catch((caught: unknown) => caught)

    expect(error).toBeInstanceOf(RegenBlockedError)
    expect((error as RegenBlockedError).reasons).toEqual([
      `main: untracked migration ${ADD_AGE} is applied but has no down.sql to roll it back: write one (or roll the migration back by hand), then run regen again.`,
    ])
    expect(await project.recorded('main.db')).toEqual([INIT, ADD_AGE])
    expect(existsSync(join(project.dir, 'migrations/main', ADD_EMAIL))).toBe(true)
  })

  test('staged files count as tracked: they are neither rolled back nor deleted', async () => {
    const project = await projectWithTwoUntracked()
    await git(
      project.dir,
      'add',
      '--',
      `migrations/main/${ADD_AGE}`,
      'resource_snapshots/main/users/20260101000001.json',
    )

    const result = await regen(project.config(3), { name: 'combined', now: at(3) })

    expect(result.repos[0]).toMatchObject({ migrations: [ADD_EMAIL], rollbacks: [] })
    expect(await project.recorded('main.db')).toEqual([INIT, ADD_AGE])
    const migrations = Object.keys(await project.files()).filter((path) => path.endsWith('migration.sql'))
    expect(migrations).toEqual([
      `migrations/main/${INIT}/migration.sql`,
      `migrations/main/${ADD_AGE}/migration.sql`,
      `migrations/main/${COMBINED}/migration.sql`,
    ])
  })

  test('refuses an untracked migration folder holding a staged file, and a snapshot split from its migration', async () => {
    const project = await projectWithTwoUntracked()
    await git(project.dir, 'add', '--', `migrations/main/${ADD_EMAIL}/snapshot.json`)
    await git(project.dir, 'add', '--', `migrations/main/${ADD_AGE}`)
    const before = await project.files()

    const error = await regen(project.config(3), { now: at(3) }).catch((caught: unknown) => caught)

    expect((error as RegenBlockedError).reasons).toEqual([
      `main: migration ${ADD_EMAIL} is untracked but git tracks snapshot.json inside it. Commit the whole folder, or unstage those files (git rm --cached), then run regen again.`,
      `main: snapshot users/20260101000001.json is untracked but was generated with migration ${ADD_AGE}, which git tracks. Add the snapshot to git (git add), then run regen again.`,
    ])
    expect(await project.files()).toEqual(before)
    expect(await project.recorded('main.db')).toEqual([INIT, ADD_AGE])
  })

  test('a fleet: one database failing its rollback deletes nothing, and running regen again finishes', async () => {
    const project = await projectWithTwoUntracked({ fleet: true })
    // SQLite cannot drop an indexed column: add_age's down.sql fails on t2 only.
    await withDb(join(project.dir, 't2.db'), (db) => db.execute('CREATE INDEX users_age ON users (age)'))
    const before = await project.files()

    const failed = await regen(project.config(3), { name: 'combined', now: at(3) })

    expect(failed).toMatchObject({ ok: false, removed: [], generated: null })
    expect(failed.rollback?.databases.map((database) => [database.database, database.error?.code])).toEqual([
      ['t1', undefined],
      ['t2', 'migration_failed'],
    ])
    expect(await project.files()).toEqual(before)
    expect(await project.recorded('t1.db')).toEqual([INIT])
    expect(await project.recorded('t2.db')).toEqual([INIT, ADD_AGE])

    await withDb(join(project.dir, 't2.db'), (db) => db.execute('DROP INDEX users_age'))
    const finished = await regen(project.config(3), { name: 'combined', migrate: true, now: at(3) })

    expect(finished.ok).toBe(true)
    expect(finished.repos[0]?.rollbacks).toEqual([
      { repo: 'tenants', database: 't2', url: 'file:t2.db', migrations: [ADD_AGE], to: INIT },
    ])
    for (const database of ['t1.db', 't2.db']) {
      expect(await project.recorded(database)).toEqual([INIT, COMBINED])
      expect(await project.columns(database)).toEqual(['id', 'name', 'age', 'email'])
    }
  })

  test('a fleet whose databases applied different untracked migrations rolls each back to its own target', async () => {
    const project = await projectWithTwoUntracked({ fleet: true })
    await migrate(project.config(3), { database: 't2' })

    const result = await regen(project.config(3), { name: 'combined', now: at(3) })

    expect(result.repos[0]?.rollbacks).toEqual([
      { repo: 'tenants', database: 't1', url: 'file:t1.db', migrations: [ADD_AGE], to: INIT },
      { repo: 'tenants', database: 't2', url: 'file:t2.db', migrations: [ADD_EMAIL, ADD_AGE], to: INIT },
    ])
    expect(await project.recorded('t1.db')).toEqual([INIT])
    expect(await project.recorded('t2.db')).toEqual([INIT])
  })
})

describe('regen outside the temp folders', () => {
  test('a work tree whose migrations folder lies outside it is refused', async () => {
    const project = await newProject()
    const elsewhere = await mkdtemp(join(tmpdir(), 'ash-sqlite-elsewhere-'))
    try {
      const config = project.config(1)
      const moved = {
        ...config,
        migrationsDir: elsewhere,
        repos: config.repos.map((repo) => ({ ...repo, migrationsDir: join(elsewhere, repo.name) })),
      }
      await expect(regen(moved)).rejects.toMatchObject({
        code: 'not_a_git_repo',
        message: expect.stringContaining('is outside the git work tree'),
      })
    } finally {
      await rm(elsewhere, { recursive: true, force: true })
    }
  })
})
