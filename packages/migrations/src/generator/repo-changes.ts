import type { TableState } from '@ash-sqlite/resource'
import { hashTableState, type LoadedSnapshot, loadLatestSnapshots } from '@ash-sqlite/snapshot'
import type { ResolvedRepo } from '../config/resolved-config.js'
import type { HashCache } from './hash-cache.js'
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

/**
 * Compares the resources with the snapshots by hash: an unchanged table costs one hash, nothing more.
 * Snapshot files in `withoutSnapshots` count as absent (the run deletes them).
 */
export async function findRepoChanges(
  repo: ResolvedRepo,
  withoutSnapshots: ReadonlySet<string> = new Set(),
  cache?: HashCache,
): Promise<RepoChanges> {
  const snapshots = await loadLatestSnapshots(repo.snapshotsDir, {
    ignore: withoutSnapshots,
    trustedDigests: cache?.trustedDigests,
  })
  cache?.trust([...snapshots.values()].map((loaded) => loaded.digest))
  const hashes = new Map([...snapshots].map(([table, loaded]) => [table, loaded.hash]))
  const snapshotTimestamps = [...snapshots.values()].map((loaded) => loaded.timestamp)
  const hashState = cache?.hashOf ?? hashTableState
  return compareStates(repo, new LiveStates(repo.name, snapshots, hashState), hashes, snapshotTimestamps, hashState)
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
    // The hash first: an unchanged table's previous state is never even read (see LiveStates).
    if (previousAll.has(state.table) && previousHashes.get(state.table) === hashState(state)) continue
    current.set(state.table, state)
    const before = previousAll.get(state.table)
    if (before !== undefined) previous.set(state.table, before)
  }
  for (const table of previousAll.keys()) if (!currentAll.has(table)) previous.set(table, previousAll.get(table)!)
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
  }
}

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * The tables the newest snapshots say exist (dropped ones, recorded as a state without columns, left out),
 * parsing a snapshot only when its state is asked for: a run where nothing changed reads none. A dropped
 * table is told by its hash (that of `droppedTableState`), which needs no parse either.
 */
class LiveStates implements ReadonlyMap<string, TableState> {
  readonly #snapshots: ReadonlyMap<string, LoadedSnapshot>
  readonly #live: string[]
  readonly #isLive: Set<string>

  constructor(repo: string, snapshots: ReadonlyMap<string, LoadedSnapshot>, hashState: (state: TableState) => string) {
    this.#snapshots = snapshots
    this.#live = [...snapshots]
      .filter(([table, loaded]) => loaded.hash !== hashState(droppedTableState(repo, table)))
      .map(([table]) => table)
    this.#isLive = new Set(this.#live)
  }

  get size(): number {
    return this.#live.length
  }

  has(table: string): boolean {
    return this.#isLive.has(table)
  }

  get(table: string): TableState | undefined {
    return this.#isLive.has(table) ? this.#snapshots.get(table)?.snapshot.state : undefined
  }

  *keys(): MapIterator<string> {
    yield* this.#live
  }

  *values(): MapIterator<TableState> {
    for (const table of this.#live) yield this.get(table)!
  }

  *entries(): MapIterator<[string, TableState]> {
    for (const table of this.#live) yield [table, this.get(table)!]
  }

  [Symbol.iterator](): MapIterator<[string, TableState]> {
    return this.entries()
  }

  forEach(callback: (value: TableState, key: string, map: ReadonlyMap<string, TableState>) => void): void {
    for (const [table, state] of this.entries()) callback(state, table, this)
  }
}
