import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { git, initGitRepo, useGitTestEnv } from '../test-utils/git-repo.js'
import { gitWorkTreeRoot, listGitFiles } from './git.js'

let dir: string
let restoreEnv: () => void

beforeAll(async () => {
  restoreEnv = useGitTestEnv({ GIT_CEILING_DIRECTORIES: await realpath(tmpdir()) })
  dir = await realpath(await mkdtemp(join(tmpdir(), 'ash-sqlite-git-test-')))
})
afterAll(async () => {
  restoreEnv()
  await rm(dir, { recursive: true, force: true })
})

async function write(files: Record<string, string>): Promise<void> {
  for (const [path, contents] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true })
    await writeFile(join(dir, path), contents)
  }
}

describe('git helpers', () => {
  test('the work tree root is found from a subfolder; outside any work tree it is refused', async () => {
    await expect(gitWorkTreeRoot(dir)).rejects.toMatchObject({ code: 'not_a_git_repo' })
    await expect(gitWorkTreeRoot(join(dir, 'missing'))).rejects.toMatchObject({
      code: 'not_a_git_repo',
      message: `${join(dir, 'missing')} is not a folder, so it is not inside a git work tree.`,
    })
    await initGitRepo(dir)
    await write({ 'sub/folder/file.txt': 'x' })
    expect(await gitWorkTreeRoot(join(dir, 'sub', 'folder'))).toBe(dir)
  })

  test('lists untracked-not-ignored and tracked files under folders, taking their names literally', async () => {
    await write({
      '.gitignore': 'ignored.sql\n',
      'm/[ab]*/committed.sql': 'x',
      'm/[ab]*/new.sql': 'x',
      'm/[ab]*/ignored.sql': 'x',
      'm/a1/new.sql': 'x',
      'other/new.sql': 'x',
    })
    await git(dir, '--literal-pathspecs', 'add', '--', '.gitignore', 'm/[ab]*/committed.sql')
    await git(dir, 'commit', '--quiet', '-m', 'first')
    await write({ 'm/[ab]*/staged.sql': 'x' })
    await git(dir, '--literal-pathspecs', 'add', '--', 'm/[ab]*/staged.sql')

    const lists = await listGitFiles(dir, ['m/[ab]*'])

    expect(lists.untracked).toEqual([join(dir, 'm/[ab]*/new.sql')])
    expect(lists.tracked).toEqual([join(dir, 'm/[ab]*/committed.sql'), join(dir, 'm/[ab]*/staged.sql')])
    expect(await listGitFiles(dir, [])).toEqual({ untracked: [], tracked: [] })
  })
})
