/**
 * `regen`: roll back, delete and regenerate the migrations git does not track yet. Exported from the
 * generator entry (`@ash-sqlite/migrations/generator`), since it runs the generator; like `generate`, it
 * loads drizzle-kit only when a table actually changed.
 */
export { GitCommandError, NotAGitRepoError, RegenBlockedError, RegenStatusError } from './errors.js'
export { regen } from './regen.js'
export type {
  DatabaseRollbackPlan,
  RegenEvent,
  RegenOptions,
  RegenRepoResult,
  RegenResult,
  UntrackedRepoFiles,
} from './types.js'
