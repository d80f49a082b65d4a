/**
 * `regen`: roll back, delete and regenerate the migrations git does not track yet. Importing this module
 * does not load the generator (nor drizzle-kit): `regen()` imports it when it runs.
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
