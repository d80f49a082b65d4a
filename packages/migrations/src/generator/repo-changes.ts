import type { TableState } from '@ash-sqlite/resource'
import { hashTableState } from '@ash-sqlite/snapshot'
import type { ResolvedRepo } from '../config/resolved-config.js'
import type { RepoSnapshots } from '../forks/repo-forks.js'
import { tablesByName } from './table-pairs.js'

/** What changed in one repo since its resource snapshots, found without loading drizzle-kit. */
export interface RepoChanges {
  readonly repo: ResolvedRepo
  /** Every table as the newest snapshots describe it (dropped tables excluded). */
  readonly previousAll: ReadonlyMap<string, TableState>
  /** Every table as the resources describe it now. */
  readonly currentAll: ReadonlyMap<string, TableState>
  /** The previous states of the tables that changed or were dropped: the `from` side of the diff. */
  readonly previous: ReadonlyMap<string, TableState>
  /** The current states of the tables that changed or are new: the `to` side of the diff. */
  readonly current: ReadonlyMap<string, TableState>
  /** Names of every changed, new or dropped table, sorted. */
  readonly changedTables: string[]
  /** Timestamps of the newest snapshot files, so a new one is never older than them. */
  readonly snapshotTimestamps: string[]
  /** Hash of each table's previous state (dropped tables included): the `previousHash` of its next snapshot. */
  readonly previousHashes: ReadonlyMap<string, string>
}

/**
 * A dropped table is recorded as a snapshot of the table with no columns (no resource can define such a
 * table), so "the newest file per table wins" stays true: the table is gone until a resource defines it again.
 */
export function droppedTableState(repo: string, table: string): TableState {
  return {
    table,
    repo,
    resources: [],
    columns: [],
    identities: [],
    customIndexes: [],
    customStatements: [],
    strict: false,
    baseFilterSql: null,
  }
}

export function isDroppedTableState(state: TableState): boolean {
  return state.columns.length === 0
}

/** Compares the resources with the snapshots (forks already merged) by hash: an unchanged table costs one hash. */
export function findRepoChanges(
  repo: ResolvedRepo,
  snapshots: RepoSnapshots,
  hashState: (state: TableState) => string = hashTableState,
): RepoChanges {
  return compareStates(repo, liveStates(snapshots.states), snapshots.hashes, [...snapshots.timestamps], hashState)
}

/**
 * The changes between previous states (with their stored hashes) and the repo's current tables. Both diff
 * sides come out in name order, as in a diff of the whole schema, so statements come out in the same order.
 */
export function compareStates(
  repo: ResolvedRepo,
  previousAll: ReadonlyMap<string, TableState>,
  previousHashes: ReadonlyMap<string, string>,
  snapshotTimestamps: string[] = [],
  hashState: (state: TableState) => string = hashTableState,
): RepoChanges {
  const currentAll = tablesByName(repo.tables)
  const previous = new Map<string, TableState>()
  const current = new Map<string, TableState>()
  for (const state of currentAll.values()) {
    const before = previousAll.get(state.table)
    if (before !== undefined && previousHashes.get(state.table) === hashState(state)) continue
    current.set(state.table, state)
    if (before !== undefined) previous.set(state.table, before)
  }
  for (const state of previousAll.values()) if (!currentAll.has(state.table)) previous.set(state.table, state)
  const changedTables = [...new Set([...previous.keys(), ...current.keys()])].sort(byName)
  const previousSorted = new Map([...previous].sort(([a], [b]) => byName(a, b)))
  const currentSorted = new Map([...current].sort(([a], [b]) => byName(a, b)))
  return {
    repo,
    previousAll,
    currentAll,
    previous: previousSorted,
    current: currentSorted,
    changedTables,
    snapshotTimestamps,
    previousHashes,
  }
}

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function liveStates(snapshots: ReadonlyMap<string, TableState>): Map<string, TableState> {
  const states = new Map<string, TableState>()
  for (const [table, state] of snapshots) if (!isDroppedTableState(state)) states.set(table, state)
  return states
}
