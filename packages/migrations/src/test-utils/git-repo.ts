import { execFile } from 'node:child_process'
import { devNull } from 'node:os'

/**
 * Environment that makes git independent of the machine's configuration: no global or system config
 * (so no signing, hooks path or global excludes), a fixed identity. Tests also set it on process.env while
 * they run, because the code under test starts git itself.
 */
export const gitTestEnv: Readonly<Record<string, string>> = {
  GIT_CONFIG_GLOBAL: devNull,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'ash-sqlite tests',
  GIT_AUTHOR_EMAIL: 'tests@ash-sqlite.invalid',
  GIT_COMMITTER_NAME: 'ash-sqlite tests',
  GIT_COMMITTER_EMAIL: 'tests@ash-sqlite.invalid',
}

/** Sets `gitTestEnv` (plus `extra`) on process.env; returns a function that restores the previous values. */
export function useGitTestEnv(extra: Record<string, string> = {}): () => void {
  const values = { ...gitTestEnv, ...extra }
  const previous = Object.fromEntries(Object.keys(values).map((key) => [key, process.env[key]]))
  Object.assign(process.env, values)
  return () => {
    for (const [key, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[key]
      else process.env[key] = value
    }
  }
}

/** Runs git in `dir` with the test identity and no signing; resolves with stdout. */
export function git(dir: string, ...args: string[]): Promise<string> {
  const config = ['-c', 'user.name=ash-sqlite tests', '-c', 'user.email=tests@ash-sqlite.invalid']
  const noSigning = ['-c', 'commit.gpgsign=false', '-c', 'tag.gpgsign=false']
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      [...config, ...noSigning, ...args],
      { cwd: dir, env: { ...process.env, ...gitTestEnv } },
      (error, stdout, stderr) => {
        if (error === null) resolve(stdout)
        else reject(new Error(`git ${args.join(' ')} failed: ${stderr}`, { cause: error }))
      },
    )
  })
}

export async function initGitRepo(dir: string): Promise<void> {
  await git(dir, 'init', '--quiet', '--initial-branch=main')
}

/** Stages everything (or `paths`) and commits it. */
export async function commit(dir: string, message: string, paths: readonly string[] = ['.']): Promise<void> {
  await git(dir, 'add', '--', ...paths)
  await git(dir, 'commit', '--quiet', '--no-verify', '-m', message)
}

/** `git status --porcelain` lines (untracked files listed one by one), sorted. */
export async function gitStatus(dir: string, ...paths: string[]): Promise<string[]> {
  const output = await git(dir, 'status', '--porcelain=v1', '--untracked-files=all', '--', ...paths)
  return output
    .split('\n')
    .filter((line) => line !== '')
    .sort()
}
