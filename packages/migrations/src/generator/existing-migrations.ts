import type { Dirent } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { DRIZZLE_SNAPSHOT_FILE, timestampPrefix } from '@ash-sqlite/snapshot'

/** What the generator needs to know about a repo's migration folders. */
export interface ExistingMigrations {
  /** Folder names (`<YYYYMMDDHHMMSS>_<name>`), sorted. */
  readonly folders: string[]
  readonly timestamps: string[]
  /** `id` of the newest folder's snapshot.json: the parent (`prevIds`) of the next drizzle-kit snapshot. */
  readonly latestSnapshotId: string | undefined
  /** The newest folder's snapshot.json as parsed (unchecked: see drizzle-snapshot-file.ts), if it parsed. */
  readonly latestSnapshot: unknown
}

/**
 * Lists `<repo migrations dir>/<YYYYMMDDHHMMSS>_<name>/` folders. A missing directory has none. Only the
 * newest snapshot.json is read, and only for its id: it is drizzle-kit's file, not our source of truth,
 * so an unreadable one just leaves the next snapshot without a parent. Folders in `without` (absolute,
 * resolved paths) count as absent: they are deleted by the same run.
 */
export async function readExistingMigrations(
  dir: string,
  without: ReadonlySet<string> = new Set(),
): Promise<ExistingMigrations> {
  const folders = (await listEntries(dir))
    .filter((entry) => entry.isDirectory() && timestampPrefix(entry.name) !== null)
    .filter((entry) => !without.has(resolve(dir, entry.name)))
    .map((entry) => entry.name)
    .sort()
  const timestamps = folders.map((folder) => timestampPrefix(folder)!)
  const newest = folders.at(-1)
  const latestSnapshot = newest === undefined ? undefined : await readSnapshot(join(dir, newest, DRIZZLE_SNAPSHOT_FILE))
  const id = (latestSnapshot as { id?: unknown } | undefined)?.id
  return { folders, timestamps, latestSnapshotId: typeof id === 'string' ? id : undefined, latestSnapshot }
}

async function listEntries(dir: string): Promise<Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
}

async function readSnapshot(file: string): Promise<unknown> {
  try {
    const parsed: unknown = JSON.parse(await readFile(file, 'utf8'))
    return typeof parsed === 'object' && parsed !== null ? parsed : undefined
  } catch {
    return undefined
  }
}
