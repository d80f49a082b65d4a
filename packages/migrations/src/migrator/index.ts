export {
  assertMigrated,
  checkMigrated,
  type MigrationCheck,
  type MigrationProblem,
  NotMigratedError,
  problemsOf,
} from './check.js'
export {
  AmbiguousVersionError,
  ChangedMigrationError,
  DatabaseMissingError,
  type ForeignKeyViolation,
  ForeignKeyViolationError,
  type MigrationDirection,
  MigrationFailedError,
  MigrationFilesError,
  MissingDownError,
  MissingMigrationError,
  RollbackPlanChangedError,
  SquashCatchUpError,
  SquashRollbackError,
  TrackingTableError,
  UnknownVersionError,
} from './errors.js'
export { migrate } from './migrate.js'
export {
  compareNames,
  hashMigrationSql,
  listMigrationFolderNames,
  type MigrationFolder,
  readMigrationFolders,
  splitStatements,
  statementBreakpoint,
  timestampMillis,
} from './migration-files.js'
export type { MigrationState } from './migration-state.js'
export { rollback } from './rollback.js'
export { status } from './status.js'
export { trackingTable } from './tracking-table.js'
export type {
  DatabaseRunResult,
  DatabaseStatus,
  MigrateOptions,
  MigrateRunResult,
  MigrationResult,
  MigrationRunResult,
  MigrationStatus,
  MigrationStatusEntry,
  MigratorEvent,
  RollbackOptions,
  RollbackRunResult,
  RunOptions,
  StatusEvent,
  StatusOptions,
  StatusRunResult,
} from './types.js'
