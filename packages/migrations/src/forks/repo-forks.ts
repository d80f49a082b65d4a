import { readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { TableState } from '@ash-sqlite/resource'
import {
  canonicalJson,
  hashTableState,
  type LoadedSnapshot,
  loadTableLineages,
  MIGRATION_FOLDER_PATTERN,
  migrationFolderTimestamp,
  type TableLineage,
} from '@ash-sqlite/snapshot'
import type { ResolvedRepo } from '../config/resolved-config.js'
import { AshSqliteError } from '../errors.js'
import { type ForkSide, mergeFork } from './fork-merge.js'

/**
 * Two merged branches changed one table in ways that do not commute: applying both migrations would fail or
 * silently undo one of them. `migrations` names each side (its migration folder, or its snapshot file when
 * the run wrote no migration); `rebase` are the migrations to regenerate on top of the oldest side (every
 * side but the oldest; one for a two-way fork).
 */
export interface ForkConflict {
  readonly repo: string
  readonly table: string
  readonly migrations: readonly string[]
  readonly reason: string
  readonly rebase: readonly string[]
}

/** The previous state of every table of a repo, as its snapshots say, with forks merged where they commute. */
export interface RepoSnapshots {
  /** Every table's state (dropped tables as their no-column snapshot), commuting forks as their union. */
  readonly states: ReadonlyMap<string, TableState>
  /** Hash of each state: the stored one, or the union's. */
  readonly hashes: ReadonlyMap<string, string>
  /** Timestamps of the newest snapshot files, so a new one is never older than them. */
  readonly timestamps: readonly string[]
  readonly conflicts: readonly ForkConflict[]
  /** Digests of the newest snapshot texts, all checked (or known to pass), for the generator's hash cache. */
  readonly digests: readonly string[]
}

/**
 * Reads a repo's snapshot lineages and merges each fork. `current` (the resources' tables) only decides
 * the order of a union's additions: when the resources hold exactly the union in another order (the order
 * the merged source code lists them), that is the union, so the merge needs nothing written.
 */
export function readRepoSnapshots(
  repo: string,
  snapshotsDir: string,
  listMigrationFolders: () => readonly string[],
  current: ReadonlyMap<string, TableState>,
  ignore?: ReadonlySet<string>,
  trustedDigests?: ReadonlySet<string>,
): RepoSnapshots {
  const lineages = loadTableLineages(snapshotsDir, { ignore, trustedDigests })
  const states = new Map<string, TableState>()
  const hashes = new Map<string, string>()
  const conflicts: ForkConflict[] = []
  for (const [table, lineage] of lineages) {
    if (lineage.heads.length === 1) {
      states.set(table, lineage.latest.snapshot.state)
      hashes.set(table, lineage.latest.hash)
      continue
    }
    const migrationFolders = listMigrationFolders()
    const sides = lineage.heads.map((head) => ({ label: labelOf(head, migrationFolders), state: head.snapshot.state }))
    const resolution = mergeFork(lineage.base?.snapshot.state ?? null, sides)
    if (resolution.kind === 'conflict') {
      conflicts.push(conflictOf(repo, table, lineage, sides, resolution.reason, migrationFolders))
      // Diffing goes on from the newest file, as before lineage; the conflict stops the run before any write.
      states.set(table, lineage.latest.snapshot.state)
      hashes.set(table, lineage.latest.snapshot.hash)
      continue
    }
    const wanted = current.get(table)
    const union = wanted !== undefined && sameUpToOrder(wanted, resolution.state) ? wanted : resolution.state
    states.set(table, union)
    hashes.set(table, hashTableState(union))
  }
  const timestamps = [...lineages.values()].map((lineage) => lineage.latest.timestamp)
  const digests = [...lineages.values()].map((lineage) => lineage.latest.digest)
  return { states, hashes, timestamps, conflicts, digests }
}

/** The migration folder one generate run wrote with this snapshot (same timestamp), else the snapshot file. */
function labelOf(head: LoadedSnapshot, migrationFolders: readonly string[]): string {
  return (
    migrationFolderOf(head, migrationFolders) ?? `snapshot ${head.snapshot.table}/${head.timestamp}.json (no migration)`
  )
}

function migrationFolderOf(head: LoadedSnapshot, migrationFolders: readonly string[]): string | undefined {
  return migrationFolders.find((folder) => migrationFolderTimestamp(folder) === head.timestamp)
}

function conflictOf(
  repo: string,
  table: string,
  lineage: TableLineage,
  sides: readonly ForkSide[],
  reason: string,
  migrationFolders: readonly string[],
): ForkConflict {
  const rebase = lineage.heads.slice(1).map((head) => migrationFolderOf(head, migrationFolders))
  return {
    repo,
    table,
    migrations: sides.map((side) => side.label),
    reason,
    rebase: rebase.every((folder) => folder !== undefined) ? (rebase as string[]) : [],
  }
}

/** Equal but for the order of columns and of named items: the same table to SQLite. */
function sameUpToOrder(a: TableState, b: TableState): boolean {
  return canonicalJson(sortedLists(a)) === canonicalJson(sortedLists(b))
}

function sortedLists(state: TableState): unknown {
  const byName = (key: string) => (x: unknown, y: unknown) => {
    const left = String((x as Record<string, unknown>)[key])
    const right = String((y as Record<string, unknown>)[key])
    return left < right ? -1 : left > right ? 1 : 0
  }
  return {
    ...state,
    columns: [...state.columns].sort(byName('source')),
    identities: [...state.identities].sort(byName('name')),
    customIndexes: [...state.customIndexes].sort(byName('name')),
    customStatements: [...state.customStatements].sort(byName('name')),
  }
}

/**
 * Forks that do not commute, in every selected repo: generate writes nothing and names the way out. Exit
 * code 1. Each line names the repo, the table, both migrations, why, and the `rebase` command.
 */
export class ForkConflictError extends AshSqliteError {
  override name = 'ForkConflictError'
  readonly conflicts: readonly ForkConflict[]

  constructor(conflicts: readonly ForkConflict[]) {
    super('fork_conflict', describeForkConflicts(conflicts))
    this.conflicts = conflicts
  }
}

export function describeForkConflicts(conflicts: readonly ForkConflict[]): string {
  const lines = conflicts.map((conflict) => {
    const [first, ...others] = conflict.rebase
    const also = others.map((folder) => ` --with ${folder}`).join('')
    const way =
      first === undefined
        ? "delete the newer side's snapshot files and run generate again"
        : `run: ash-sqlite rebase ${first}${also} --repo ${conflict.repo}`
    return `[${conflict.repo}] table ${conflict.table}: branches merged with migrations ${conflict.migrations.join(' and ')} that do not commute: ${conflict.reason}. To resolve, ${way}`
  })
  return `merged branches changed the same tables, nothing was written:\n  ${lines.join('\n  ')}`
}

/**
 * The forks of one repo that do not commute, for `status`: read from the snapshots alone (no drizzle-kit).
 * A project deployed without its snapshots folder has none; unreadable snapshots are generate's to report.
 */
export function forkConflictsOf(repo: ResolvedRepo): readonly ForkConflict[] {
  try {
    const folders = () => migrationFolderNames(repo.migrationsDir, new Set())
    const current = new Map(repo.tables.map((state) => [state.table, state]))
    return readRepoSnapshots(repo.name, repo.snapshotsDir, folders, current).conflicts
  } catch {
    return []
  }
}

/** Names of a repo's migration folders, sorted, without the replaced ones. Read only when a fork needs naming. */
export function migrationFolderNames(migrationsDir: string, replaced: ReadonlySet<string>): string[] {
  let names: string[]
  try {
    names = readdirSync(migrationsDir)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
  return names
    .filter((name) => MIGRATION_FOLDER_PATTERN.test(name) && !replaced.has(join(resolve(migrationsDir), name)))
    .sort()
}
