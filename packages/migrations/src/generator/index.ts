/**
 * `@ash-sqlite/migrations/generator`: turns resource changes into reversible migrations through drizzle-kit's
 * differ, and `regen` replaces the migrations git does not track yet. A separate entry point so that the
 * production migrator never loads drizzle-kit; inside, drizzle-kit itself is loaded only when a table
 * actually changed.
 */

export { type ForkConflict, ForkConflictError } from '../forks/repo-forks.js'
export { type PullFromDrizzleOptions, pullFromDrizzle } from '../pull/from-drizzle.js'
export { PullError, type PullLayout, type PullOptions, type PullResult, pull } from '../pull/pull.js'
export type { PullWarning } from '../pull/resource-plan.js'
export * from '../rebase/index.js'
export * from '../regen/index.js'
export { SquashError, type SquashOptions, type SquashResult, squash } from '../squash/squash.js'
export { type CustomMigrationOptions, type CustomMigrationResult, generateCustomMigration } from './custom-migration.js'
export {
  DroppedTableReferencedError,
  describeAmbiguity,
  GenerateError,
  RenameAmbiguityError,
  RenameConflictError,
} from './errors.js'
export { generate } from './generate.js'
export { STATEMENT_BREAKPOINT } from './migration-sql.js'
export { parseRenameFlag, renameFlagText } from './rename-flags.js'
export type {
  DestructiveWarning,
  GeneratedFile,
  GeneratedMigration,
  GenerateOptions,
  GenerateResult,
  GeneratorEvent,
  RenameAmbiguity,
  RenameCandidate,
  RenameDecision,
  RenameFlag,
  RepoGenerateResult,
} from './types.js'
