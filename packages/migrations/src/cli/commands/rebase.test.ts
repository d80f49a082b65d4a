import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { buildPackages } from '../../test-utils/build-packages.js'
import { commit, git, gitTestEnv, initGitRepo } from '../../test-utils/git-repo.js'
import { runBin } from '../../test-utils/run-bin.js'
import { withDb } from '../../test-utils/sqlite-file.js'
import { createTempProject, type TempProject, tempProjectsDir } from '../../test-utils/temp-project.js'

// End-to-end: two git branches change `users`, are merged with `git merge`, and the built bin is run on the
// merge: generate refuses (exit 1), status shows the conflict, rebase resolves it, migrate applies the rest.

const config = `
import { defineConfig } from '@ash-sqlite/migrations'
import { accounts } from './src/domain'
export default defineConfig({ domains: [accounts] })
`

function domain(name: string, extra: string): string {
  return `
import { attr, defineDomain, defineRepo, defineResource } from '@ash-sqlite/resource'
const main = defineRepo({ name: 'main', url: 'file:data/main.db' })
const User = defineResource({
  name: 'User',
  attributes: { id: attr.integerPrimaryKey(), name: ${name}, ${extra} },
  sqlite: { repo: main, table: 'users' },
})
export const accounts = defineDomain({ name: 'accounts', resources: [User] })
`
}

const PLAIN_NAME = 'attr.string()'
const REQUIRED_NAME = "attr.string({ allowNull: false, default: 'anonymous' })"
const env = { ...gitTestEnv, GIT_CEILING_DIRECTORIES: tempProjectsDir }

let project: TempProject | undefined
beforeAll(async () => {
  await buildPackages(['resource', 'snapshot', 'migrations'])
}, 180_000)
afterEach(async () => {
  await project?.remove()
  project = undefined
})

async function recorded(dir: string): Promise<string[]> {
  return withDb(join(dir, 'data', 'main.db'), async (db) =>
    (await db.execute('SELECT name FROM __drizzle_migrations ORDER BY id')).rows.map((row) => String(row.name)),
  )
}

/** init on main; branch a and branch b each change users and migrate; both merged, domain.ts resolved. */
async function mergedProject(a: string, b: string, merged: string): Promise<{ dir: string; folders: string[] }> {
  project = await createTempProject({
    'ash-sqlite.config.ts': config,
    'src/domain.ts': domain(PLAIN_NAME, ''),
    '.gitignore': 'data/\n.ash-sqlite/\n',
  })
  const { dir } = project
  const bin = (...args: string[]) => runBin(args, { cwd: dir, env })
  await initGitRepo(dir)
  expect((await bin('create')).code).toBe(0)
  expect((await bin('generate', 'init')).code).toBe(0)
  await commit(dir, 'init')
  for (const [branch, source] of [
    ['a', a],
    ['b', b],
  ] as const) {
    await git(dir, 'checkout', '--quiet', '-b', branch, 'main')
    await project.write({ 'src/domain.ts': source })
    expect((await bin('generate', `branch_${branch}`)).code).toBe(0)
    // One database (gitignored) follows the developer across branches: it ends with both applied.
    expect((await bin('migrate')).code).toBe(0)
    await commit(dir, branch)
    // A second apart, so the two migrations never share a timestamp.
    await new Promise((resolve) => setTimeout(resolve, 1000))
  }
  await git(dir, 'checkout', '--quiet', 'main')
  await git(dir, 'merge', '--quiet', 'a')
  // Both branches edited the same line of domain.ts: resolve the text conflict as a person would.
  await git(dir, 'merge', '--quiet', '--no-edit', 'b').catch(() => undefined)
  await project.write({ 'src/domain.ts': merged })
  await commit(dir, 'merge b')
  return { dir, folders: readdirSync(join(dir, 'migrations', 'main')).sort() }
}

// About 15 cold starts of the bin per test: seconds on an idle machine, a minute on a loaded one.
const E2E_TIMEOUT = 180_000

describe('ash-sqlite after a branch merge (built bin)', () => {
  it(
    'a commuting merge: generate --check passes, status shows no conflict, migrate applies both',
    async () => {
      const { dir, folders } = await mergedProject(
        domain(PLAIN_NAME, 'age: attr.integer({ default: 0 })'),
        domain(PLAIN_NAME, 'email: attr.string()'),
        domain(PLAIN_NAME, 'age: attr.integer({ default: 0 }), email: attr.string()'),
      )
      const bin = (...args: string[]) => runBin(args, { cwd: dir, env })
      const check = await bin('generate', '--check')
      expect(check).toMatchObject({ code: 0, stdout: 'No changes\n' })
      expect((await bin('status')).stdout).not.toContain('conflict')
      expect((await bin('migrate')).code).toBe(0)
      expect(await recorded(dir)).toEqual(folders)
    },
    E2E_TIMEOUT,
  )

  it(
    'a rebuild on one side: generate exits 1 naming both, status shows conflict, rebase -m resolves it',
    async () => {
      const { dir, folders } = await mergedProject(
        domain(REQUIRED_NAME, ''),
        domain(PLAIN_NAME, 'email: attr.string()'),
        domain(REQUIRED_NAME, 'email: attr.string()'),
      )
      const [init, branchA, branchB] = folders as [string, string, string]
      const bin = (...args: string[]) => runBin(args, { cwd: dir, env })

      const refused = await bin('generate')
      expect(refused.code).toBe(1)
      expect(refused.stderr).toContain(`table users: branches merged with migrations ${branchA} and ${branchB}`)
      expect(refused.stderr).toContain(`ash-sqlite rebase ${branchB} --repo main`)
      expect(readdirSync(join(dir, 'migrations', 'main')).sort()).toEqual(folders)
      expect((await bin('generate', '--check')).code).toBe(1)
      const before = await bin('status')
      expect(before.stdout).toContain(`conflict main: table users, migrations ${branchA} and ${branchB}`)

      const rebased = await bin('rebase', branchB, '-m')
      expect(rebased.stderr).toBe('')
      expect(rebased.code).toBe(0)
      expect(rebased.stdout).toContain(`Rebased ${branchB}: rolled back 1 migration`)
      const after = readdirSync(join(dir, 'migrations', 'main')).sort()
      expect(after).toHaveLength(3)
      expect(after.slice(0, 2)).toEqual([init, branchA])
      expect(after[2]).toMatch(/^\d{14}_branch_b$/)
      expect(await recorded(dir)).toEqual(after)
      expect((await bin('status')).stdout).not.toContain('conflict')
      expect((await bin('generate', '--check')).code).toBe(0)
    },
    E2E_TIMEOUT,
  )
})
