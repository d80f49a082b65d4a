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

  const local = folders.map((folder): MigrationEntry => {
    const applied = appliedByName.get(folder.name)
    if (applied !== undefined)
      return {
        name: folder.name,
        state: matchesRecordedHash(folder, applied.hash) ? 'applied' : 'changed',
        folder,
        applied,
      }
    const outOfOrder = newestApplied !== undefined && compareNames(folder.name, newestApplied) < 0
    return { name: folder.name, state: outOfOrder ? 'out_of_order' : 'pending', folder }
  })
  const missing = [...appliedByName.values()]
    .filter((row) => !folderNames.has(row.name as string))
    .map((row): MigrationEntry => ({ name: row.name as string, state: 'missing', applied: row }))
  return [...local, ...missing].sort((left, right) => compareNames(left.name, right.name))
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
