import { type Dirent, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { SnapshotError } from './errors.js'
import { SNAPSHOT_FILE_PATTERN, snapshotFileName } from './layout.js'
import { parseCheckedSnapshot, parseSnapshot, type ResourceSnapshot, snapshotDigest } from './snapshot.js'
import { isTimestamp } from './timestamp.js'

/** The newest snapshot of one table, as read from disk. */
export interface LoadedSnapshot {
  /** Absolute path of the file. */
  file: string
  /** `YYYYMMDDHHMMSS` from the file name. */
  timestamp: string
  /**
   * The parsed snapshot. For a file with a trusted digest it is parsed on first read, so a caller that only
   * compares hashes never parses it.
   */
  readonly snapshot: ResourceSnapshot
  /** `snapshot.hash`, read without parsing the whole file when its digest is trusted. */
  hash: string
  /** `snapshotDigest` of the file's text: what a caller may remember as checked (see `trustedDigests`). */
  digest: string
}

export interface LoadSnapshotsOptions {
  /**
   * Absolute paths of snapshot files to treat as absent, as if already deleted: `regen` diffs against the
   * snapshots as they will be once it deletes the untracked ones. An ignored file is not even name-checked.
   */
  ignore?: ReadonlySet<string> | undefined
  /**
   * Digests (`snapshotDigest`) of file texts that passed `parseSnapshot` before, e.g. remembered by the
   * generator from an earlier run. A file whose text has one of them is not checked again (its hash is not
   * recomputed) and is parsed only when its state is read: the digest is of the bytes on disk, so an edited
   * file never matches and is checked in full. Files are always read: nothing is trusted over them.
   */
  trustedDigests?: ReadonlySet<string> | undefined
}

/**
 * Newest snapshot per table under `<snapshotsDir>/<repo>` (pass the repo folder), keyed by table name in name
 * order. A missing folder is an empty map. Only each table's newest file is read and checked; older ones are
 * only listed. Dot entries (staging folders, editor files) and non-`.json` files are skipped, and so are the
 * files in `options.ignore`; a table whose every snapshot is ignored has none.
 *
 * The reads are synchronous on purpose: a repo holds one small file per table, and the promise API pays
 * four thread-pool round trips per file (open, stat, read, close), several times the cost of the reads
 * themselves (1000 tables: ~80 ms against ~12 ms). Nothing else runs while a generate reads its snapshots.
 */
export async function loadLatestSnapshots(
  repoSnapshotsDir: string,
  options: LoadSnapshotsOptions = {},
): Promise<Map<string, LoadedSnapshot>> {
  const repoDir = path.resolve(repoSnapshotsDir)
  const repo = path.basename(repoDir)
  const ignored = new Set([...(options.ignore ?? [])].map((file) => path.resolve(file)))
  const byTable = new Map<string, LoadedSnapshot>()
  for (const table of listTableFolders(repoDir)) {
    const snapshot = loadNewest(repoDir, repo, table, ignored, options.trustedDigests)
    if (snapshot !== undefined) byTable.set(table, snapshot)
  }
  return byTable
}

/** Table folders of a repo's snapshots folder, sorted; dot folders skipped. A missing folder has none. */
export function listTableFolders(repoDir: string): string[] {
  let entries: Dirent[]
  try {
    entries = readdirSync(repoDir, { withFileTypes: true })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
  return entries
    .filter((entry) => !entry.name.startsWith('.') && isDirectory(repoDir, entry))
    .map((entry) => entry.name)
    .sort()
}

function isDirectory(parent: string, entry: Dirent): boolean {
  if (entry.isDirectory()) return true
  if (!entry.isSymbolicLink()) return false
  try {
    return statSync(path.join(parent, entry.name)).isDirectory()
  } catch {
    // A dangling or unreadable link is not a table folder.
    return false
  }
}

function loadNewest(
  repoDir: string,
  repo: string,
  table: string,
  ignored: ReadonlySet<string>,
  trusted: ReadonlySet<string> | undefined,
): LoadedSnapshot | undefined {
  const tableDir = path.join(repoDir, table)
  const names = readdirSync(tableDir)
  const timestamp = newestTimestamp(
    tableDir,
    ignored.size === 0 ? names : names.filter((name) => !ignored.has(path.join(tableDir, name))),
  )
  if (timestamp === undefined) return undefined
  return loadSnapshotFile(repoDir, repo, table, timestamp, trusted)
}

/** Read and check `<repoDir>/<table>/<timestamp>.json`, which must hold that table of that repo. */
export function loadSnapshotFile(
  repoDir: string,
  repo: string,
  table: string,
  timestamp: string,
  trusted?: ReadonlySet<string>,
): LoadedSnapshot {
  const file = path.join(repoDir, table, snapshotFileName(timestamp))
  const text = readFileSync(file, 'utf8')
  const digest = snapshotDigest(text)
  const header = trusted?.has(digest) === true ? readCheckedHeader(text) : undefined
  if (header !== undefined) {
    checkFolder(file, repo, table, header)
    let parsed: ResourceSnapshot | undefined
    return {
      file,
      timestamp,
      hash: header.hash,
      digest,
      get snapshot() {
        parsed ??= parseCheckedSnapshot(text, file)
        return parsed
      },
    }
  }
  const snapshot = parseSnapshot(text, file)
  checkFolder(file, repo, table, snapshot)
  return { file, timestamp, snapshot, hash: snapshot.hash, digest }
}

function checkFolder(file: string, repo: string, table: string, snapshot: { repo: string; table: string }): void {
  if (snapshot.table !== table || snapshot.repo !== repo) {
    throw new SnapshotError({
      code: 'snapshot_mismatch',
      file,
      problem: `holds table "${snapshot.table}" of repo "${snapshot.repo}", but it lies in the folder of table "${table}" of repo "${repo}"`,
      fix: `Move it to ${snapshot.repo}/${snapshot.table}/ under the snapshots folder, or restore it from version control`,
    })
  }
}

/**
 * `hash`, `repo` and `table` of a snapshot text that passed the full check before, read off its top-level
 * lines: canonical JSON writes the top-level keys at two spaces of indent, one per line, and nothing deeper
 * sits at that indent. A text not in that form is simply parsed.
 */
function readCheckedHeader(text: string): { hash: string; repo: string; table: string } | undefined {
  const field = (pattern: RegExp) => {
    const match = pattern.exec(text)
    return match === null ? undefined : (JSON.parse(match[1]!) as string)
  }
  const [hash, repo, table] = [field(TOP_LEVEL_HASH), field(TOP_LEVEL_REPO), field(TOP_LEVEL_TABLE)]
  return hash === undefined || repo === undefined || table === undefined ? undefined : { hash, repo, table }
}

/** A top-level string field of a canonical snapshot text (see `readCheckedHeader`): its JSON string literal. */
const topLevelString = (name: string) => new RegExp(`\\n  "${name}": ("(?:[^"\\\\\\n]|\\\\.)*")`)
const TOP_LEVEL_HASH = topLevelString('hash')
const TOP_LEVEL_REPO = topLevelString('repo')
const TOP_LEVEL_TABLE = topLevelString('table')

/** The newest timestamp among a table folder's snapshot file names; throws on a badly named `.json` file. */
export function newestTimestamp(tableDir: string, names: readonly string[]): string | undefined {
  let newest: string | undefined
  for (const name of names) {
    if (name.startsWith('.') || !name.endsWith('.json')) continue
    const timestamp = SNAPSHOT_FILE_PATTERN.exec(name)?.[1]
    if (timestamp === undefined || !isTimestamp(timestamp)) {
      throw new SnapshotError({
        code: 'snapshot_bad_name',
        file: path.join(tableDir, name),
        problem: 'is not named <YYYYMMDDHHMMSS>.json, so it cannot be ordered among the snapshots of its table',
        fix: 'Rename it to the UTC time it was written, or move it out of the snapshots folder',
      })
    }
    if (newest === undefined || timestamp > newest) newest = timestamp
  }
  return newest
}
