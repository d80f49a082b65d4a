import { SquashCatchUpError } from './errors.js'
import { compareNames, type MigrationFolder, matchesRecordedHash } from './migration-text.js'
import type { AppliedMigration } from './tracking-table.js'

/**
 * - `applied`: recorded, and migration.sql still has the recorded hash.
 * - `changed`: recorded, but migration.sql was edited since.
 * - `pending`: not recorded, newer than every recorded migration.
 * - `out_of_order`: not recorded, older than the newest recorded one (typically merged from another branch).
 *   `migrate` applies it, with a warning.
 * - `missing`: recorded, but its folder is gone.
 */
export type MigrationState = 'applied' | 'pending' | 'changed' | 'missing' | 'out_of_order'

export interface MigrationEntry {
  readonly name: string
  readonly state: MigrationState
  /** Absent for `missing` migrations. */
  readonly folder?: MigrationFolder
  /** The tracking row, for recorded migrations. */
  readonly applied?: AppliedMigration
  /**
   * A squash this database reached through the migrations it replaces: `done` are the replaced ones it
   * recorded, `remaining` the ones still to run (from the kept copies) before the squash's row is written.
   * An `applied` squash with this set has every replaced migration recorded but not its own row yet.
   */
  readonly viaReplaced?: { readonly done: readonly MigrationFolder[]; readonly remaining: readonly MigrationFolder[] }
}

/** Local folders and tracking rows merged into one list, sorted by name. Rows without a name are left out. */
export function describeMigrations(
  folders: readonly MigrationFolder[],
  appliedRows: readonly AppliedMigration[],
): MigrationEntry[] {
  const appliedByName = new Map<string, AppliedMigration>()
  for (const row of appliedRows) if (row.name !== null && !appliedByName.has(row.name)) appliedByName.set(row.name, row)
  const newestApplied = [...appliedByName.keys()].sort(compareNames).at(-1)
  const folderNames = new Set(folders.map((folder) => folder.name))

  // Rows of migrations a squash replaced are the squash's: never `missing`.
  const replaced = new Set(folders.flatMap((folder) => folder.squash?.replaces.map((entry) => entry.name) ?? []))

  const local = folders.map((folder): MigrationEntry => {
    const applied = appliedByName.get(folder.name)
    if (applied !== undefined)
      return {
        name: folder.name,
        state: matchesRecordedHash(folder, applied.hash) ? 'applied' : 'changed',
        folder,
        applied,
      }
    if (folder.squash !== undefined) {
      const via = reachedThroughReplaced(folder, appliedByName)
      if (via !== undefined)
        return {
          name: folder.name,
          state: via.remaining.length === 0 ? 'applied' : 'pending',
          folder,
          viaReplaced: via,
        }
    }
    const outOfOrder = newestApplied !== undefined && compareNames(folder.name, newestApplied) < 0
    return { name: folder.name, state: outOfOrder ? 'out_of_order' : 'pending', folder }
  })
  const missing = [...appliedByName.values()]
    .filter((row) => !folderNames.has(row.name as string) && !replaced.has(row.name as string))
    .map((row): MigrationEntry => ({ name: row.name as string, state: 'missing', applied: row }))
  return [...local, ...missing].sort((left, right) => compareNames(left.name, right.name))
}

/**
 * For a squash without its own row: the replaced migrations this database recorded and those it still
 * needs, or undefined when it recorded none of them (then it runs the squash itself). A replaced migration
 * it needs whose kept copy is gone cannot be run: that is an error of this database.
 */
function reachedThroughReplaced(
  folder: MigrationFolder,
  appliedByName: ReadonlyMap<string, AppliedMigration>,
): MigrationEntry['viaReplaced'] {
  const squash = folder.squash
  if (squash === undefined) return undefined
  const done = squash.replaces.filter((entry) => appliedByName.has(entry.name))
  if (done.length === 0) return undefined
  const kept = new Map(squash.kept.map((entry) => [entry.name, entry]))
  const remainingNames = squash.replaces.filter((entry) => !appliedByName.has(entry.name))
  const lost = remainingNames.filter((entry) => !kept.has(entry.name)).map((entry) => entry.name)
  if (lost.length > 0) throw new SquashCatchUpError(folder.name, lost)
  const keptOrSelf = (name: string): MigrationFolder =>
    kept.get(name) ?? { name, timestamp: name.slice(0, 14), path: '', upSql: '', downSql: null, hash: '' }
  return {
    done: done.map((entry) => keptOrSelf(entry.name)),
    remaining: remainingNames.map((entry) => kept.get(entry.name) as MigrationFolder),
  }
}

export function isApplied(entry: MigrationEntry): boolean {
  return entry.state === 'applied' || entry.state === 'changed' || entry.state === 'missing'
}

export function isPending(entry: MigrationEntry): boolean {
  return entry.state === 'pending' || entry.state === 'out_of_order'
}

/** Tracking rows nobody could name: reported, never guessed at. */
export function unnamedRows(appliedRows: readonly AppliedMigration[]): AppliedMigration[] {
  return appliedRows.filter((row) => row.name === null)
}
