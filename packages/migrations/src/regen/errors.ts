import { AshSqliteError } from '../errors.js'

/** regen tells new migrations from committed ones through git, so it only works inside a git work tree. */
export class NotAGitRepoError extends AshSqliteError {
  override name = 'NotAGitRepoError'
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('not_a_git_repo', message, options)
  }
}

/** git itself could not be run, or failed in a way that says nothing about the project. */
export class GitCommandError extends AshSqliteError {
  override name = 'GitCommandError'
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('git_failed', message, options)
  }
}

/**
 * regen refused before changing anything: an untracked migration cannot be rolled back (a committed one
 * is applied after it, or it has no down.sql), or the untracked files do not belong together with what
 * git tracks. Each reason names the migration or file and how to get unstuck.
 */
export class RegenBlockedError extends AshSqliteError {
  override name = 'RegenBlockedError'
  readonly reasons: readonly string[]
  constructor(reasons: readonly string[], command: 'regen' | 'rebase' = 'regen') {
    super(`${command}_blocked`, `${command} refused, nothing was changed:\n  ${reasons.join('\n  ')}`)
    this.reasons = reasons
  }
}

/** Some database could not be read, so regen cannot tell whether untracked migrations are applied there. */
export class RegenStatusError extends AshSqliteError {
  override name = 'RegenStatusError'
  constructor(failures: readonly string[]) {
    super(
      'regen_status_failed',
      `regen cannot tell which untracked migrations are applied, nothing was changed:\n  ${failures.join('\n  ')}`,
    )
  }
}
