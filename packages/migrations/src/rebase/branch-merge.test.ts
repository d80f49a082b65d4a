import { realpath, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { ForkConflictError } from '../forks/repo-forks.js'
import { generate } from '../generator/generate.js'
import { migrate, status } from '../migrator/index.js'
import { RegenBlockedError } from '../regen/errors.js'
import { commit, useGitTestEnv } from '../test-utils/git-repo.js'
import { withDb } from '../test-utils/sqlite-file.js'
import { createMergeProject, type MergeProject, type PostsShape } from './__fixtures__/merge-project.js'
import { RebaseStatusError } from './errors.js'
import { rebase } from './rebase.js'

// Real git, real SQLite files: two (or three) branches each generate a migration for `posts` from the same
// base, are merged with `git merge`, and the merged project is generated, checked, rebased and migrated.

const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second))
const INIT = '20260101000000_init'

let restoreEnv: () => void
const projects: MergeProject[] = []
beforeAll(async () => {
  restoreEnv = useGitTestEnv({ GIT_CEILING_DIRECTORIES: await realpath(tmpdir()) })
})
afterAll(() => restoreEnv())
afterEach(async () => {
  await Promise.all(projects.splice(0).map((project) => project.remove()))
})

async function newProject(): Promise<MergeProject> {
  const project = await createMergeProject()
  projects.push(project)
  return project
}

interface Branch {
  readonly name: string
  readonly shape: PostsShape
  /** Databases that apply this branch's migration while on the branch (in branch order). */
  readonly appliedTo: readonly string[]
}

/** Databases of every test: one that sees only the merge, and one per combination of applied branches. */
const DATABASES = ['fresh', 'a', 'b', 'ab']

const fleet = (project: MergeProject, names: readonly string[] = DATABASES) => ({
  fleet: names.map((name) => ({ name, url: `file:${join(project.dir, `${name}.db`)}` })),
})

/**
 * init on main (applied to every database but `fresh`, with rows in posts and comments), then each branch
 * from main with its own migration, committed and applied to its databases, then every branch merged into
 * main. Returns the migration folder of each branch.
 */
async function mergeBranches(
  project: MergeProject,
  branches: readonly Branch[],
): Promise<[string, string, ...string[]]> {
  await generate(project.config({}), { name: 'init', now: at(0) })
  await commit(project.dir, 'init')
  for (const database of DATABASES.filter((name) => name !== 'fresh')) {
    await migrate(project.config({}, database))
    await withDb(join(project.dir, `${database}.db`), async (db) => {
      await db.execute("INSERT INTO posts (id, title) VALUES (1, 'first'), (2, 'second'), (3, 'third')")
      await db.execute("INSERT INTO comments (id, body, post_id) VALUES (1, 'c1', 1), (2, 'c2', 1), (3, 'c3', 2)")
    })
  }
  const folders: string[] = []
  for (const [index, branch] of branches.entries()) {
    await project.git('checkout', '--quiet', '-b', branch.name, 'main')
    const result = await generate(project.config(branch.shape), { name: `branch_${branch.name}`, now: at(index + 1) })
    folders.push(result.repos[0]!.migration!.folder)
    await commit(project.dir, `branch ${branch.name}`)
    for (const database of branch.appliedTo) {
      const applied = await migrate(project.config(branch.shape, database))
      expect(applied.ok).toBe(true)
    }
  }
  await project.git('checkout', '--quiet', 'main')
  for (const branch of branches) await project.git('merge', '--quiet', '--no-edit', branch.name)
  return folders as [string, string, ...string[]]
}

/** The schema a project with no history generates for `shape`, applied to a new database. */
async function referenceSchema(shape: PostsShape): Promise<Record<string, unknown>> {
  const reference = await newProject()
  await generate(reference.config(shape, 'reference'), { now: at(0) })
  await migrate(reference.config(shape, 'reference'))
  return reference.schema('reference')
}

const POSTS = (extra: Record<string, unknown>) => [
  { id: 1, title: 'first', ...extra },
  { id: 2, title: 'second', ...extra },
  { id: 3, title: 'third', ...extra },
]
const COMMENTS = [
  { id: 1, body: 'c1', post_id: 1 },
  { id: 2, body: 'c2', post_id: 1 },
  { id: 3, body: 'c3', post_id: 2 },
]

async function conflictsOf(project: MergeProject, shape: PostsShape) {
  const result = await status(project.config(shape, fleet(project)))
  return result.conflicts
}

describe('merging branches that each changed one table', () => {
  test('commuting additions merge into their union: no new migration, --check passes, every database ends equal', async () => {
    const project = await newProject()
    const merged: PostsShape = { subtitle: true, slug: true }
    const [a, b] = await mergeBranches(project, [
      { name: 'a', shape: { subtitle: true }, appliedTo: ['a', 'ab'] },
      { name: 'b', shape: { slug: true }, appliedTo: ['b', 'ab'] },
    ])
    const before = await project.files()

    const check = await generate(project.config(merged), { check: true, now: at(9) })
    expect(check).toMatchObject({ changed: false, files: [] })
    const written = await generate(project.config(merged), { now: at(9) })
    expect(written.changed).toBe(false)
    expect(await project.files()).toEqual(before)
    expect(await conflictsOf(project, merged)).toEqual([])

    const applied = await migrate(project.config(merged, fleet(project)))
    expect(applied.ok).toBe(true)
    const reference = await referenceSchema(merged)
    for (const database of DATABASES) {
      expect(await project.schema(database), database).toEqual(reference)
      if (database === 'fresh') continue
      expect(await project.rows(database, 'posts'), database).toEqual(POSTS({ subtitle: null, slug: null }))
      expect(await project.rows(database, 'comments'), database).toEqual(COMMENTS)
    }
    expect(await migratedNames(project, 'fresh')).toEqual([INIT, a, b])
  })

  test('three branches adding distinct columns merge into their union with no new migration', async () => {
    const project = await newProject()
    const merged: PostsShape = { subtitle: true, slug: true, summary: true }
    await mergeBranches(project, [
      { name: 'a', shape: { subtitle: true }, appliedTo: ['a'] },
      { name: 'b', shape: { slug: true }, appliedTo: ['b'] },
      { name: 'c', shape: { summary: true }, appliedTo: ['ab'] },
    ])
    expect(await generate(project.config(merged), { check: true })).toMatchObject({ changed: false })
    expect((await migrate(project.config(merged, fleet(project)))).ok).toBe(true)
    const reference = await referenceSchema(merged)
    for (const database of DATABASES) expect(await project.schema(database), database).toEqual(reference)
  })

  test('a rebuild on one side: generate refuses naming both migrations and the rebase; rebase fixes every database', async () => {
    const project = await newProject()
    const merged: PostsShape = { titleRequired: true, slug: true }
    const [a, b] = await mergeBranches(project, [
      { name: 'a', shape: { titleRequired: true }, appliedTo: ['a', 'ab'] },
      { name: 'b', shape: { slug: true }, appliedTo: ['b', 'ab'] },
    ])
    const before = await project.files()

    for (const options of [{ check: true }, {}]) {
      const error = await generate(project.config(merged), { ...options, now: at(9) }).catch((caught) => caught)
      expect(error).toBeInstanceOf(ForkConflictError)
      expect(error.exitCode).toBe(1)
      expect(error.message).toContain(`table posts: branches merged with migrations ${a} and ${b} that do not commute`)
      expect(error.message).toContain('SQLite rebuilds the table')
      expect(error.message).toContain(`ash-sqlite rebase ${b} --repo main`)
    }
    expect(await project.files()).toEqual(before)
    expect(await conflictsOf(project, merged)).toEqual([
      expect.objectContaining({ repo: 'main', table: 'posts', migrations: [a, b], rebase: [b] }),
    ])

    const rebased = await rebase(project.config(merged, fleet(project)), { migrations: [b], now: at(9) })
    expect(rebased.ok).toBe(true)
    expect(rebased.rollbacks.map((plan) => plan.database)).toEqual(['b', 'ab'])
    const folder = rebased.generated!.repos[0]!.migration!.folder
    expect(folder).toBe('20260101000009_branch_b')
    expect(await conflictsOf(project, merged)).toEqual([])
    expect(await generate(project.config(merged), { check: true, now: at(10) })).toMatchObject({ changed: false })

    expect((await migrate(project.config(merged, fleet(project)))).ok).toBe(true)
    const reference = await referenceSchema(merged)
    for (const database of DATABASES) {
      expect(await project.schema(database), database).toEqual(reference)
      expect(await migratedNames(project, database), database).toEqual([INIT, a, folder])
      if (database === 'fresh') continue
      // The rebuild kept every post and, with ON DELETE CASCADE, every comment.
      expect(await project.rows(database, 'posts'), database).toEqual(POSTS({ slug: null }))
      expect(await project.rows(database, 'comments'), database).toEqual(COMMENTS)
    }
  })

  test('the same column added on both sides: refused, then rebase leaves one ADD and keeps the other side', async () => {
    const project = await newProject()
    const merged: PostsShape = { slug: 'indexed' }
    const [a, b] = await mergeBranches(project, [
      // No database can have both: the second ADD of slug fails ("duplicate column name").
      { name: 'a', shape: { slug: true }, appliedTo: ['a', 'ab'] },
      { name: 'b', shape: { slug: 'indexed' }, appliedTo: ['b'] },
    ])
    const error = await generate(project.config(merged)).catch((caught) => caught)
    expect(error).toBeInstanceOf(ForkConflictError)
    expect(error.message).toContain(`${a} and ${b} both add column slug to table posts`)

    const rebased = await rebase(project.config(merged, fleet(project)), { migrations: [b.slice(0, 14)], now: at(9) })
    expect(rebased.ok).toBe(true)
    const folder = rebased.generated!.repos[0]!.migration!.folder
    expect(rebased.generated!.repos[0]!.migration!.up.join('\n')).not.toContain('ADD')
    expect((await migrate(project.config(merged, fleet(project)))).ok).toBe(true)
    const reference = await referenceSchema(merged)
    for (const database of DATABASES) {
      expect(await project.schema(database), database).toEqual(reference)
      expect(await migratedNames(project, database), database).toEqual([INIT, a, folder])
      if (database !== 'fresh') expect(await project.rows(database, 'posts')).toEqual(POSTS({ slug: null }))
    }
  })

  test('three branches that conflict on one table: every side but the oldest is rebased in one run', async () => {
    const project = await newProject()
    const merged: PostsShape = { titleRequired: true, slug: true, summary: true }
    const [a, b, c] = await mergeBranches(project, [
      { name: 'a', shape: { titleRequired: true }, appliedTo: ['a'] },
      { name: 'b', shape: { slug: true }, appliedTo: ['b', 'ab'] },
      { name: 'c', shape: { summary: true }, appliedTo: ['ab'] },
    ])
    const error = await generate(project.config(merged)).catch((caught) => caught)
    expect(error).toBeInstanceOf(ForkConflictError)
    expect(error.message).toContain(`migrations ${a} and ${b} and ${c} that do not commute`)
    expect(error.message).toContain(`ash-sqlite rebase ${b} --with ${c} --repo main`)

    const rebased = await rebase(project.config(merged, fleet(project)), { migrations: [b, c!], now: at(9) })
    expect(rebased.ok).toBe(true)
    expect(rebased.removed.filter((path) => path.includes('migrations'))).toHaveLength(2)
    const folder = rebased.generated!.repos[0]!.migration!.folder
    expect(await generate(project.config(merged), { check: true, now: at(10) })).toMatchObject({ changed: false })
    expect((await migrate(project.config(merged, fleet(project)))).ok).toBe(true)
    const reference = await referenceSchema(merged)
    for (const database of DATABASES) {
      expect(await project.schema(database), database).toEqual(reference)
      expect(await migratedNames(project, database), database).toEqual([INIT, a, folder])
      if (database !== 'fresh') expect(await project.rows(database, 'comments'), database).toEqual(COMMENTS)
    }
  })

  test('rebase on a fleet with an unreachable database is refused and changes nothing', async () => {
    const project = await newProject()
    const merged: PostsShape = { titleRequired: true, slug: true }
    const [, b] = await mergeBranches(project, [
      { name: 'a', shape: { titleRequired: true }, appliedTo: ['a'] },
      { name: 'b', shape: { slug: true }, appliedTo: ['b'] },
    ])
    const before = await project.files()
    const unreachable = {
      fleet: [...fleet(project).fleet, { name: 'offline', url: 'http://127.0.0.1:9' }],
    }

    const error = await rebase(project.config(merged, unreachable), { migrations: [b], now: at(9) }).catch(
      (caught) => caught,
    )

    expect(error).toBeInstanceOf(RebaseStatusError)
    expect(error.message).toContain(`rebase cannot tell where ${b} is applied, nothing was changed`)
    expect(error.message).toContain('main/offline')
    expect(await project.files()).toEqual(before)
    expect(await migratedNames(project, 'b')).toEqual([INIT, b])
  })
})

describe('rebase refuses', () => {
  test('a migration applied somewhere without a down.sql: nothing is rolled back, deleted or written', async () => {
    const project = await newProject()
    const merged: PostsShape = { titleRequired: true, slug: true }
    const [, b] = await mergeBranches(project, [
      { name: 'a', shape: { titleRequired: true }, appliedTo: ['a'] },
      { name: 'b', shape: { slug: true }, appliedTo: ['b'] },
    ])
    await rm(join(project.dir, 'migrations', 'main', b, 'down.sql'))
    const before = await project.files()

    const error = await rebase(project.config(merged, fleet(project)), { migrations: [b] }).catch((caught) => caught)

    expect(error).toBeInstanceOf(RegenBlockedError)
    expect(error.code).toBe('rebase_blocked')
    expect(error.message).toContain(`rebased migration ${b} is applied but has no down.sql`)
    expect(await project.files()).toEqual(before)
    expect(await migratedNames(project, 'b')).toEqual([INIT, b])
  })

  test('a name that matches no migration', async () => {
    const project = await newProject()
    await generate(project.config({}), { name: 'init', now: at(0) })
    const error = await rebase(project.config({}), { migrations: ['20990101000000'] }).catch((caught) => caught)
    expect(error.code).toBe('bad_usage')
    expect(error.message).toContain('rebase: no migration 20990101000000')
  })
})

async function migratedNames(project: MergeProject, database: string): Promise<string[]> {
  const rows = await project.rows(database, '__drizzle_migrations')
  return rows.map((row) => String(row.name))
}
