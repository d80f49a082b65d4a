import { execFile } from 'node:child_process'
import { realpath, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { GitCommandError, NotAGitRepoError } from './errors.js'

// `git ls-files` over a large project can print a lot; the default 1 MB would cut it off.
const MAX_OUTPUT_BYTES = 256 * 1024 * 1024

interface GitFailure {
  code?: unknown
  stderr?: unknown
}

/** Runs git without a shell (paths are arguments, never parsed) and returns its stdout. */
function runGit(args: readonly string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', [...args], { cwd, encoding: 'utf8', maxBuffer: MAX_OUTPUT_BYTES }, (error, stdout, stderr) => {
      if (error === null) resolve(stdout)
      else reject(Object.assign(error, { stderr }))
    })
  })
}

/** git's own explanation, first line, without its "fatal: " prefix. */
function reasonOf(error: unknown): string {
  const stderr = (error as GitFailure).stderr
  const line = typeof stderr === 'string' ? (stderr.trim().split('\n')[0] ?? '') : ''
  return line.replace(/^fatal: /, '')
}

function gitNotFound(error: unknown): GitCommandError | undefined {
  if ((error as GitFailure).code !== 'ENOENT') return undefined
  return new GitCommandError('git was not found on PATH: regen needs git to tell new migrations from committed ones.', {
    cause: error,
  })
}

/**
 * The root of the git work tree containing `cwd`, as a real path (symlinks resolved, as git reports it).
 * Throws `NotAGitRepoError` outside a work tree (no repository, a bare one, or inside `.git`).
 */
export async function gitWorkTreeRoot(cwd: string): Promise<string> {
  // Spawning in a missing folder fails with ENOENT too, which would read as "git not found".
  if (!(await stat(cwd).catch(() => undefined))?.isDirectory()) {
    throw new NotAGitRepoError(`${cwd} is not a folder, so it is not inside a git work tree.`)
  }
  let stdout: string
  try {
    stdout = await runGit(['rev-parse', '--show-toplevel'], cwd)
  } catch (error) {
    const notFound = gitNotFound(error)
    if (notFound !== undefined) throw notFound
    const reason = reasonOf(error)
    throw new NotAGitRepoError(
      `${cwd} is not inside a git work tree${reason === '' ? '' : ` (${reason})`}. regen deletes the migrations git does not track yet, so it needs one: run git init, or use generate.`,
      { cause: error },
    )
  }
  const root = stdout.replace(/\n$/, '')
  if (root === '') throw new NotAGitRepoError(`${cwd} is not inside a git work tree (git printed no top-level folder).`)
  return realpath(root)
}

/** Which files under some folders of the work tree git reports, as absolute paths. */
export interface GitFileLists {
  /** Untracked and not ignored (`git ls-files --others --exclude-standard`). */
  readonly untracked: readonly string[]
  /** In the index: committed, or staged (`git ls-files --cached`). */
  readonly tracked: readonly string[]
}

/**
 * Lists untracked and tracked files under `pathspecs` (paths relative to `root`, taken literally: no glob
 * characters are interpreted). No pathspec lists nothing, rather than the whole work tree.
 */
export async function listGitFiles(root: string, pathspecs: readonly string[]): Promise<GitFileLists> {
  if (pathspecs.length === 0) return { untracked: [], tracked: [] }
  const list = async (mode: readonly string[]) => {
    try {
      const stdout = await runGit(['--literal-pathspecs', 'ls-files', ...mode, '-z', '--', ...pathspecs], root)
      return stdout
        .split('\0')
        .filter((path) => path !== '')
        .map((path) => join(root, path))
    } catch (error) {
      throw (
        gitNotFound(error) ??
        new GitCommandError(`git ls-files failed in ${root}: ${reasonOf(error)}`, { cause: error })
      )
    }
  }
  const [untracked, tracked] = await Promise.all([list(['--others', '--exclude-standard']), list(['--cached'])])
  return { untracked, tracked }
}
