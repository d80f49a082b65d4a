import { lstat, readdir } from 'node:fs/promises'
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import { isTimestamp, SNAPSHOT_FILE_PATTERN, timestampPrefix } from '@ash-sqlite/snapshot'
import type { ResolvedRepo } from '../config/resolved-config.js'
import { UsageError } from '../errors.js'

/** The `without` paths of one repo, resolved, split by what the generator reads them as. */
export interface RepoWithout {
  /** Migration folders (`<migrations dir>/<YYYYMMDDHHMMSS>_<name>`). */
  readonly migrationFolders: ReadonlySet<string>
  /** Resource snapshot files (`<snapshots dir>/<table>/<YYYYMMDDHHMMSS>.json`). */
  readonly snapshotFiles: ReadonlySet<string>
}

const NOTHING: RepoWithout = { migrationFolders: new Set(), snapshotFiles: new Set() }

/**
 * Sorts the `without` paths by repo. Each must be a migration folder or a resource snapshot file of a selected
 * repo: the generator deletes them, so anything else (a typo, another repo's file, the migrations folder
 * itself) is refused before anything is read.
 */
export function splitWithout(repos: readonly ResolvedRepo[], without: readonly string[]): Map<string, RepoWithout> {
  const byRepo = new Map(
    repos.map((repo) => [repo.name, { migrationFolders: new Set<string>(), snapshotFiles: new Set<string>() }]),
  )
  const refused: string[] = []
  for (const path of without) {
    const resolved = resolve(path)
    const owner = isAbsolute(path) ? repos.find((repo) => ownsPath(repo, resolved)) : undefined
    if (owner === undefined) {
      refused.push(path)
      continue
    }
    const entry = byRepo.get(owner.name)!
    if (dirname(resolved) === resolve(owner.migrationsDir)) entry.migrationFolders.add(resolved)
    else entry.snapshotFiles.add(resolved)
  }
  if (refused.length > 0) throw withoutError(refused, repos)
  return byRepo
}

export function withoutOf(split: ReadonlyMap<string, RepoWithout>, repo: string): RepoWithout {
  return split.get(repo) ?? NOTHING
}

function ownsPath(repo: ResolvedRepo, path: string): boolean {
  const [folder, ...restOfMigration] = segmentsBelow(resolve(repo.migrationsDir), path)
  if (folder !== undefined && restOfMigration.length === 0 && timestampPrefix(folder) !== null) return true
  const [table, file, ...restOfSnapshot] = segmentsBelow(resolve(repo.snapshotsDir), path)
  if (table === undefined || file === undefined || restOfSnapshot.length > 0 || table.startsWith('.')) return false
  const timestamp = SNAPSHOT_FILE_PATTERN.exec(file)?.[1]
  return timestamp !== undefined && isTimestamp(timestamp)
}

function segmentsBelow(dir: string, path: string): string[] {
  const rel = relative(dir, path)
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return []
  return rel.split(sep)
}

function withoutError(refused: readonly string[], repos: readonly ResolvedRepo[]): UsageError {
  const shapes = repos.flatMap((repo) => [
    join(repo.migrationsDir, '<YYYYMMDDHHMMSS>_<name>'),
    join(repo.snapshotsDir, '<table>', '<YYYYMMDDHHMMSS>.json'),
  ])
  return new UsageError(
    `without: ${refused.join(', ')} ${refused.length === 1 ? 'is' : 'are'} neither a migration folder nor a resource snapshot file of the selected repos. Pass absolute paths shaped like ${shapes.join(' or ') || 'those of a selected repo'}.`,
  )
}

/**
 * What the file set deletes for one repo: the `without` migration folders and snapshot files that exist. A
 * table's snapshot folder whose every entry goes (a table only the removed migrations created) is deleted as a
 * whole rather than left empty; if the new migration creates the table again, its folder is placed in one piece.
 */
export async function removalsOf(without: RepoWithout): Promise<string[]> {
  const folders: string[] = []
  for (const folder of [...without.migrationFolders].sort()) if (await exists(folder)) folders.push(folder)
  const snapshots: string[] = []
  for (const tableDir of [...new Set([...without.snapshotFiles].map((file) => dirname(file)))].sort()) {
    const paths = (await listNames(tableDir)).map((name) => join(tableDir, name))
    const removed = paths.filter((path) => without.snapshotFiles.has(path))
    if (removed.length === 0) continue
    if (removed.length === paths.length) snapshots.push(tableDir)
    else snapshots.push(...removed.sort())
  }
  return [...folders, ...snapshots]
}

async function listNames(dir: string): Promise<string[]> {
  try {
    return await readdir(dir)
  } catch (error) {
    if (['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) return []
    throw error
  }
}

async function exists(path: string): Promise<boolean> {
  return (await lstat(path).catch(() => undefined)) !== undefined
}
