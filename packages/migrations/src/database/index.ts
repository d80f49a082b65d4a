export { checkConcurrency, defaultConcurrency, mapWithConcurrency } from './concurrency.js'
export {
  createDatabases,
  type DatabaseOperationEvent,
  type DatabaseOperationOptions,
  type DatabaseOperationResult,
  type DatabaseOperationRunResult,
  type DatabaseOperationStatus,
  dropDatabases,
} from './create-drop.js'
export { type DatabaseLocation, locateDatabase } from './database-url.js'
export { type DescribedDatabase, describeDatabaseFailure } from './describe-failure.js'
export {
  DatabaseError,
  type DatabaseFailureReason,
  DatabaseListError,
  LockTimeoutError,
  WriteLockLostError,
} from './errors.js'
export { type DatabaseEvent, type DatabaseLoop, forEachDatabase } from './for-each-database.js'
export { type DatabaseProgress, type ProgressCounter, progressCounter } from './progress.js'
export { createRedactor, databaseRedactor, type Redactor, redactUrl, type SecretBearingTarget } from './redact-url.js'
export {
  type DatabaseSession,
  defaultLockTimeoutMs,
  lockWaitNoticeMs,
  type OpenSessionOptions,
  openSession,
  type SqlRunner,
  type SqlStatement,
  type SqlTransaction,
  type WriteTransactionOptions,
} from './session.js'
export {
  allDatabasesOfRepo,
  type DatabaseEntry,
  type DatabaseSelection,
  type ResolvedDatabase,
  resolveDatabases,
  selectRepos,
  type UnresolvedDatabase,
} from './targets.js'
