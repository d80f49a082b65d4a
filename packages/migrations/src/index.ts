/**
 * `@ash-sqlite/migrations`: config loading and the production migrator (migrate, rollback, status,
 * create/drop databases). The generator has its own entry point, `@ash-sqlite/migrations/generator`, so
 * that nothing imported from here loads drizzle-kit.
 */
export type { ConfigInput } from './config/config-input.js'
export { type AshSqliteConfig, defineConfig } from './config/define-config.js'
export { CONFIG_FILE_NAMES, type LoadConfigOptions, loadConfig } from './config/load-config.js'
export { type ResolveConfigOptions, resolveConfig } from './config/resolve-config.js'
export type { ResolvedConfig, ResolvedRepo } from './config/resolved-config.js'
export {
  createDatabases,
  DatabaseError,
  type DatabaseEvent,
  type DatabaseFailureReason,
  DatabaseListError,
  type DatabaseOperationEvent,
  type DatabaseOperationOptions,
  type DatabaseOperationResult,
  type DatabaseOperationRunResult,
  type DatabaseOperationStatus,
  type DatabaseProgress,
  type DatabaseSelection,
  dropDatabases,
  LockTimeoutError,
  redactUrl,
  WriteLockLostError,
} from './database/index.js'
export {
  type DatabaseDrift,
  type DriftOptions,
  type DriftRunResult,
  drift,
  ReplayError,
} from './drift/drift.js'
export { AshSqliteError, ConfigError, UsageError } from './errors.js'
export type { SchemaDifference, SchemaObjectKind } from './introspect/schema-diff.js'
export {
  AmbiguousVersionError,
  assertMigrated,
  ChangedMigrationError,
  checkMigrated,
  DatabaseMissingError,
  type DatabaseRunResult,
  type DatabaseStatus,
  type ForeignKeyViolation,
  ForeignKeyViolationError,
  type MigrateOptions,
  type MigrateRunResult,
  type MigrationCheck,
  type MigrationDirection,
  MigrationFailedError,
  MigrationFilesError,
  type MigrationProblem,
  type MigrationResult,
  type MigrationRunResult,
  type MigrationState,
  type MigrationStatus,
  type MigrationStatusEntry,
  type MigratorEvent,
  MissingDownError,
  MissingMigrationError,
  migrate,
  NotMigratedError,
  problemsOf,
  type RollbackOptions,
  RollbackPlanChangedError,
  type RollbackRunResult,
  type RunOptions,
  rollback,
  SquashCatchUpError,
  SquashRollbackError,
  type StatusEvent,
  type StatusOptions,
  type StatusRunResult,
  status,
  TrackingTableError,
  UnknownVersionError,
} from './migrator/index.js'
export { DependencyError, DRIZZLE_VERSION } from './peer-dependencies.js'
