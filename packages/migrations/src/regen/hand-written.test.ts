/**
 * regen and rebase refuse to throw away a hand-written migration or squash (no generate could write them again).
 */
import { existsSync } from 'node:fs'
import { realpath } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { generateCustomMigration } from '../generator/custom-migration.js'
import { generate } from '../generator/index.js'
import { rebase } from '../rebase/rebase.js'
import { squash } from '../squash/squash.js'
import { commit, useGitTestEnv } from '../test-utils/git-repo.js'
import { createRegenProject, type RegenProject } from './__fixtures__/regen-project.js'
import { regen } from './regen.js'

const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second))
let restoreEnv: () => void
let project: RegenProject | undefined
beforeAll(async () => {
  restoreEnv = useGitTestEnv({ GIT_CEILING_DIRECTORIES: await realpath(tmpdir()) })
})
afterAll(() => restoreEnv())
afterEach(async () => {
  await project?.remove()
  project = undefined
})

describe('regen and hand-written migrations', () => {
  test('an untracked generate --custom migration blocks regen and stays', async () => {
    project = await createRegenProject()
    await generate(project.config(1), { name: 'init', now: at(0) })
    await commit(project.dir, 'init')
    const custom = await generateCustomMigration(project.config(1), { name: 'backfill', now: at(0) })
    await expect(regen(project.config(2))).rejects.toMatchObject({
      code: 'regen_blocked',
      message: expect.stringContaining(`${custom.folder} is a hand-written migration (generate --custom)`),
    })
    expect(existsSync(join(project.dir, 'migrations', 'main', custom.folder, 'migration.sql'))).toBe(true)
  })

  test('an untracked squash blocks regen', async () => {
    project = await createRegenProject()
    await generate(project.config(1), { name: 'init', now: at(0) })
    await generate(project.config(2), { name: 'more', now: at(1) })
    await commit(project.dir, 'two migrations')
    const squashed = await squash(project.config(2), { to: '20260101000001' })
    // Refused before anything changes (here already because its snapshot.json's tracked snapshots go with it).
    await expect(regen(project.config(3))).rejects.toMatchObject({
      code: 'regen_blocked',
      message: expect.stringContaining(squashed.folder),
    })
    expect(existsSync(join(project.dir, 'migrations', 'main', squashed.folder, 'squash.json'))).toBe(true)
  })

  test('rebase refuses a generate --custom migration or a squash, committed or not, and deletes nothing', async () => {
    project = await createRegenProject()
    await generate(project.config(1), { name: 'init', now: at(0) })
    await commit(project.dir, 'init')
    const custom = await generateCustomMigration(project.config(1), { name: 'backfill', now: at(1) })
    const customSql = join(project.dir, 'migrations', 'main', custom.folder, 'migration.sql')
    await expect(rebase(project.config(1), { migrations: [custom.folder] })).rejects.toMatchObject({
      code: 'rebase_blocked',
      message: expect.stringContaining(`main/${custom.folder} is a hand-written migration (generate --custom)`),
    })
    expect(existsSync(customSql)).toBe(true)
    await commit(project.dir, 'custom')
    await expect(rebase(project.config(1), { migrations: [custom.folder] })).rejects.toMatchObject({
      code: 'rebase_blocked',
    })
    expect(existsSync(customSql)).toBe(true)

    await generate(project.config(2), { name: 'more', now: at(2) })
    await commit(project.dir, 'more')
    const squashed = await squash(project.config(2), { to: '20260101000002' })
    await expect(rebase(project.config(2), { migrations: [squashed.folder] })).rejects.toMatchObject({
      code: 'rebase_blocked',
      message: expect.stringContaining(`main/${squashed.folder} is a squash`),
    })
    expect(existsSync(join(project.dir, 'migrations', 'main', squashed.folder, 'squash.json'))).toBe(true)
  })
})
