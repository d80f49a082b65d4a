export { checkConcurrency, defaultConcurrency, mapWithConcurrency } from './concurrency.js'
export {
  createDatabases,
  type DatabaseOperationOptions,
  type DatabaseOperationResult,
  type DatabaseOperationRunResult,
  type DatabaseOperationStatus,
  dropDatabases,
} from './create-drop.js'
export { type DatabaseLocation, locateDatabase } from './database-url.js'
export { DatabaseError, DatabaseListError, LockTimeoutError } from './errors.js'
export { createRedactor, type Redactor, redactUrl } from './redact-url.js'
export {
  type DatabaseSession,
  defaultLockTimeoutMs,
  type OpenSessionOptions,
  openSession,
  type SqlRunner,
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
