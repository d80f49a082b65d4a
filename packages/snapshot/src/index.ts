export { canonicalJson } from './canonical-json.js'
export { SnapshotError, type SnapshotErrorCode, type SnapshotErrorDetails } from './errors.js'
export {
  type FileSetEntry,
  type FileSetProgress,
  type RecoveryResult,
  recoverFileSet,
  type WriteFileSetOptions,
  writeFileSet,
} from './file-set.js'
export { type GenerateLockOptions, type LockHolder, withGenerateLock } from './generate-lock.js'
export * from './layout.js'
export { type LoadLineagesOptions, loadTableLineages, type TableLineage } from './lineage.js'
export { type LoadedSnapshot, type LoadSnapshotsOptions, loadLatestSnapshots } from './load-snapshots.js'
export {
  createSnapshot,
  hashTableState,
  parseSnapshot,
  type ResourceSnapshot,
  SNAPSHOT_VERSION,
  serializeSnapshot,
  snapshotDigest,
} from './snapshot.js'
export { snapshotPath } from './snapshot-path.js'
export { formatTimestamp, isTimestamp, nextTimestamp, parseTimestamp, timestampPrefix } from './timestamp.js'
