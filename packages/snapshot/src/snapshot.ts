import { createHash } from 'node:crypto'
import type { TableState } from '@ash-sqlite/resource'
import { canonicalJson } from './canonical-json.js'
import { SnapshotError } from './errors.js'

/** The snapshot format this package writes and reads. Bump it (and teach `parseSnapshot` the old one) on change. */
export const SNAPSHOT_VERSION = 1 as const

/** One snapshot file: the state of one table after a generate run. */
export interface ResourceSnapshot {
  version: typeof SNAPSHOT_VERSION
  repo: string
  table: string
  /** `hashTableState(state)`: lets a run skip tables that did not change, and reveals hand edits. */
  hash: string
  /**
   * `hash` of the snapshot this one was generated from (the table's state before the change); absent for a
   * table's first snapshot and in snapshots written before lineage was recorded. It is what tells a straight
   * history from two branches that each changed the table (see lineage.ts).
   */
  previousHash?: string
  state: TableState
}

/** sha256 hex of the canonical JSON of a state (object keys sorted recursively, arrays keep order). */
export function hashTableState(state: TableState): string {
  return createHash('sha256').update(canonicalJson(state)).digest('hex')
}

/** Build the snapshot object for a state, generated from the state whose hash is `previousHash` (if any). */
export function createSnapshot(state: TableState, previousHash?: string): ResourceSnapshot {
  const snapshot: ResourceSnapshot = {
    version: SNAPSHOT_VERSION,
    repo: state.repo,
    table: state.table,
    hash: hashTableState(state),
    state,
  }
  if (previousHash !== undefined) snapshot.previousHash = previousHash
  return snapshot
}

/** The text of a snapshot file (canonical JSON, so rewriting an unchanged snapshot gives the same bytes). */
export function serializeSnapshot(snapshot: ResourceSnapshot): string {
  return canonicalJson(snapshot)
}

/**
 * Parse and check the text of a snapshot file: valid JSON, a known version, the snapshot shape, repo/table
 * agreeing with the state, and a hash that matches the state. `file` is only used in error messages.
 */
export function parseSnapshot(text: string, file: string): ResourceSnapshot {
  const value = parseJson(text, file)
  if (!isRecord(value)) throw corrupt(file, 'does not hold a JSON object')
  if (value.version !== SNAPSHOT_VERSION) {
    throw new SnapshotError({
      code: 'snapshot_unknown_version',
      file,
      problem: `has snapshot version ${JSON.stringify(value.version) ?? 'undefined'}, but this ash-sqlite reads version ${SNAPSHOT_VERSION}`,
      fix: 'If a newer ash-sqlite wrote it, upgrade ash-sqlite; otherwise restore the file from version control',
    })
  }
  const snapshot = checkShape(value, file)
  checkConsistent(snapshot, file)
  return snapshot
}

/**
 * The text of a snapshot file that `parseSnapshot` accepted before (the caller knows it by its digest): only
 * parsed. The version is still compared, since the reader may have changed since it was checked.
 */
export function parseCheckedSnapshot(text: string, file: string): ResourceSnapshot {
  const value = parseJson(text, file) as ResourceSnapshot
  return value.version === SNAPSHOT_VERSION ? value : parseSnapshot(text, file)
}

/** A digest of a snapshot file's exact text (sha1: it names content, it does not protect it). */
export function snapshotDigest(text: string): string {
  return createHash('sha1').update(text).digest('hex')
}

function parseJson(text: string, file: string): unknown {
  try {
    // Editors on some systems add a byte order mark; it is not part of the JSON.
    return JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text)
  } catch (error) {
    throw corrupt(file, `is not valid JSON (${(error as Error).message})`, error)
  }
}

type FieldCheck = (value: unknown) => boolean

const isString: FieldCheck = (value) => typeof value === 'string'
const isBoolean: FieldCheck = (value) => typeof value === 'boolean'
const isStringOrNull: FieldCheck = (value) => value === null || typeof value === 'string'
const isStringArray: FieldCheck = (value) => Array.isArray(value) && value.every(isString)
const isObjectArray: FieldCheck = (value) => Array.isArray(value) && value.every(isRecord)
/** Fields added to the state later: absent in older snapshots (and whenever empty, so old hashes stay equal). */
const isOptionalObjectArray: FieldCheck = (value) => value === undefined || isObjectArray(value)

// Exhaustive over TableState on purpose: a new state field must be thought about here (and in the version).
const STATE_FIELDS: Record<keyof TableState, FieldCheck> = {
  table: isString,
  repo: isString,
  resources: isStringArray,
  columns: isObjectArray,
  identities: isObjectArray,
  customIndexes: isObjectArray,
  customStatements: isObjectArray,
  strict: isBoolean,
  baseFilterSql: isStringOrNull,
  foreignKeys: isOptionalObjectArray,
  checkConstraints: isOptionalObjectArray,
}

function checkShape(value: Record<string, unknown>, file: string): ResourceSnapshot {
  for (const field of ['repo', 'table', 'hash'] as const) {
    if (!isString(value[field])) throw corrupt(file, `field "${field}" must be a string`)
  }
  if (value.previousHash !== undefined && !isString(value.previousHash)) {
    throw corrupt(file, 'field "previousHash" must be a string when present')
  }
  const state = value.state
  if (!isRecord(state)) throw corrupt(file, 'field "state" must be an object')
  for (const [field, check] of Object.entries(STATE_FIELDS)) {
    if (!check(state[field])) throw corrupt(file, `field "state.${field}" is missing or has the wrong type`)
  }
  return value as unknown as ResourceSnapshot
}

function checkConsistent(snapshot: ResourceSnapshot, file: string): void {
  if (snapshot.table !== snapshot.state.table || snapshot.repo !== snapshot.state.repo) {
    throw new SnapshotError({
      code: 'snapshot_mismatch',
      file,
      problem: `names table "${snapshot.table}" of repo "${snapshot.repo}", but its state is table "${snapshot.state.table}" of repo "${snapshot.state.repo}"`,
      fix: 'Restore the file from version control',
    })
  }
  const expected = hashTableState(snapshot.state)
  if (snapshot.hash !== expected) {
    throw new SnapshotError({
      code: 'snapshot_mismatch',
      file,
      problem: 'its "hash" does not match its "state", so the file was edited by hand',
      fix: `Restore it from version control; to keep the edit on purpose, set "hash" to "${expected}"`,
    })
  }
}

function corrupt(file: string, problem: string, cause?: unknown): SnapshotError {
  return new SnapshotError({
    code: 'snapshot_corrupt',
    file,
    problem,
    fix: 'Restore it from version control (git checkout -- <file>); if it was never committed, delete it and run generate again',
    cause,
  })
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
