/** Stable, machine-readable codes of the errors this package throws. */
export type SnapshotErrorCode =
  /** A snapshot file is not valid JSON or does not have the snapshot shape. */
  | 'snapshot_corrupt'
  /** A snapshot file has a `version` this ash-sqlite cannot read. */
  | 'snapshot_unknown_version'
  /** A snapshot's table/repo does not match its path, or its hash does not match its state. */
  | 'snapshot_mismatch'
  /** A `.json` file in a table folder is not named `<YYYYMMDDHHMMSS>.json`. */
  | 'snapshot_bad_name'
  /** A repo or table name cannot be used as a folder name. */
  | 'invalid_path_segment'
  /** A file set to write is malformed (relative or duplicate targets, a file where a folder must be, ...). */
  | 'invalid_file_set'
  /** A folder a run would write into or delete from is not writable: nothing was written. */
  | 'not_writable'
  /** A file a run would write already exists: nothing was written. */
  | 'file_exists'
  /** The staging folder is on another filesystem than a target, so renames could not be atomic. */
  | 'staging_cross_device'
  /** An interrupted run's manifest in the staging folder cannot be read. */
  | 'staging_corrupt'
  /** Another generate run holds the project's lock. */
  | 'generate_locked'

export interface SnapshotErrorDetails {
  code: SnapshotErrorCode
  /** The file (or folder) at fault. */
  file: string
  /** What is wrong. */
  problem: string
  /** How to fix it. */
  fix: string
  cause?: unknown
}

/**
 * Every error of @ash-sqlite/snapshot. The message reads `<file>: <problem>. <fix>`; `code` is stable for
 * programs and `file` names the file or folder at fault.
 */
export class SnapshotError extends Error {
  override readonly name = 'SnapshotError'
  readonly code: SnapshotErrorCode
  readonly file: string

  constructor(details: SnapshotErrorDetails) {
    super(
      `${details.file}: ${details.problem}. ${details.fix}`,
      details.cause === undefined ? undefined : { cause: details.cause },
    )
    this.code = details.code
    this.file = details.file
  }
}
