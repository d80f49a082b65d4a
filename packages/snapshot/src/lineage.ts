import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { SNAPSHOT_FILE_PATTERN, snapshotFileName } from './layout.js'
import { type LoadedSnapshot, listTableFolders, loadSnapshotFile, newestTimestamp } from './load-snapshots.js'
import { parseSnapshot } from './snapshot.js'

/**
 * The history of one table's snapshots, as a graph: each snapshot descends from the one whose hash is its
 * `previousHash`. After two branches that each changed the table are merged, the table has two heads (two
 * snapshots no later one descends from) and a base (the newest snapshot both descend from).
 */
export interface TableLineage {
  readonly table: string
  /** The newest snapshot file of the table (what "the newest file wins" reads). */
  readonly latest: LoadedSnapshot
  /**
   * Snapshots no later snapshot descends from, oldest first: one head is a straight history (then it is
   * `latest`); more are a fork (even when two heads hold the same state: each came with its own migration).
   */
  readonly heads: readonly LoadedSnapshot[]
  /** With a fork: the newest snapshot every head descends from, or null when they share none. */
  readonly base: LoadedSnapshot | null
}

export interface LoadLineagesOptions {
  /** Absolute snapshot files to treat as absent (they are about to be deleted by the same run). */
  ignore?: ReadonlySet<string> | undefined
  /** Digests of snapshot texts known to pass the check (see `LoadSnapshotsOptions.trustedDigests`). */
  trustedDigests?: ReadonlySet<string> | undefined
}

interface Node {
  readonly timestamp: string
  readonly file: string
  readonly hash: string
  readonly previousHash: string | undefined
  parents: number[]
}

/**
 * Every table's lineage under `<snapshotsDir>/<repo>` (pass the repo folder), keyed by table in name order.
 * A table with one snapshot file costs what `loadLatestSnapshots` costs; with more, the older files are read
 * for their two hashes only (and fully parsed only when they are a head or a base of a fork).
 *
 * How a snapshot's parent is found: the newest earlier snapshot whose hash is its `previousHash`; a
 * `previousHash` that names no snapshot was written on top of a merged fork (the union of the heads before
 * it, which has no file), so it descends from every head so far; a snapshot without `previousHash` (written
 * before lineage existed) descends from the file just before it, so old histories stay straight chains.
 */
export function loadTableLineages(
  repoSnapshotsDir: string,
  options: LoadLineagesOptions = {},
): Map<string, TableLineage> {
  const repoDir = path.resolve(repoSnapshotsDir)
  const repo = path.basename(repoDir)
  const ignored = new Set([...(options.ignore ?? [])].map((file) => path.resolve(file)))
  const lineages = new Map<string, TableLineage>()
  for (const table of listTableFolders(repoDir)) {
    const lineage = tableLineage(repoDir, repo, table, ignored, options.trustedDigests)
    if (lineage !== undefined) lineages.set(table, lineage)
  }
  return lineages
}

function tableLineage(
  repoDir: string,
  repo: string,
  table: string,
  ignored: ReadonlySet<string>,
  trusted: ReadonlySet<string> | undefined,
): TableLineage | undefined {
  const tableDir = path.join(repoDir, table)
  const names = readdirSync(tableDir).filter((name) => !ignored.has(path.join(tableDir, name)))
  // Checks every name, as the newest-file loader does.
  const newest = newestTimestamp(tableDir, names)
  if (newest === undefined) return undefined
  const timestamps = names
    .map((name) => SNAPSHOT_FILE_PATTERN.exec(name)?.[1])
    .filter((timestamp): timestamp is string => timestamp !== undefined)
    .sort()
  const latest = loadSnapshotFile(repoDir, repo, table, newest, trusted)
  if (timestamps.length === 1) return { table, latest, heads: [latest], base: null }

  const nodes = timestamps.map((timestamp) =>
    timestamp === newest ? nodeOf(latest) : readNode(path.join(tableDir, snapshotFileName(timestamp)), timestamp),
  )
  const heads = linkParents(nodes)
  if (heads.length === 1) return { table, latest, heads: [latest], base: null }
  const load = (index: number) =>
    nodes[index]!.timestamp === newest ? latest : loadSnapshotFile(repoDir, repo, table, nodes[index]!.timestamp)
  const base = commonAncestor(nodes, heads)
  return { table, latest, heads: heads.map(load), base: base === undefined ? null : load(base) }
}

function nodeOf(loaded: LoadedSnapshot): Node {
  const { hash, previousHash } = loaded.snapshot
  return { timestamp: loaded.timestamp, file: loaded.file, hash, previousHash, parents: [] }
}

// Canonical JSON sorts keys, so a file written by ash-sqlite starts with its hash and previousHash.
const HASH_PREFIX = /^\{"hash":"([0-9a-f]+)"(?:,"previousHash":"([0-9a-f]+)")?,/

/** The two hashes of an older snapshot, without parsing its state when the file is as ash-sqlite wrote it. */
function readNode(file: string, timestamp: string): Node {
  const text = readFileSync(file, 'utf8')
  const match = HASH_PREFIX.exec(text)
  if (match !== null) return { timestamp, file, hash: match[1]!, previousHash: match[2], parents: [] }
  const snapshot = parseSnapshot(text, file)
  return { timestamp, file, hash: snapshot.hash, previousHash: snapshot.previousHash, parents: [] }
}

/** Links each node to its parents (see loadTableLineages) and returns the heads, oldest first. */
function linkParents(nodes: Node[]): number[] {
  let heads: number[] = []
  nodes.forEach((node, index) => {
    if (index === 0) node.parents = []
    else if (node.previousHash === undefined) node.parents = [index - 1]
    else {
      // Two branches that reached the same state each wrote a snapshot of it: a later one descends from both.
      const sameStateHeads = heads.filter((head) => nodes[head]!.hash === node.previousHash)
      const parent = findLast(nodes, index, node.previousHash)
      node.parents = sameStateHeads.length > 0 ? sameStateHeads : parent === undefined ? [...heads] : [parent]
    }
    heads = heads.filter((head) => !node.parents.includes(head))
    heads.push(index)
  })
  // Two heads with the same state are still a fork: each branch has its own migration making that change,
  // and applying both would make it twice.
  return heads
}

function findLast(nodes: readonly Node[], before: number, hash: string): number | undefined {
  for (let index = before - 1; index >= 0; index--) if (nodes[index]!.hash === hash) return index
  return undefined
}

/** The newest node every head descends from (a head counts as its own ancestor). */
function commonAncestor(nodes: readonly Node[], heads: readonly number[]): number | undefined {
  const ancestorSets = heads.map((head) => {
    const seen = new Set<number>()
    const stack = [head]
    while (stack.length > 0) {
      const index = stack.pop()!
      if (seen.has(index)) continue
      seen.add(index)
      stack.push(...nodes[index]!.parents)
    }
    return seen
  })
  for (let index = nodes.length - 1; index >= 0; index--) {
    if (ancestorSets.every((set) => set.has(index))) return index
  }
  return undefined
}
