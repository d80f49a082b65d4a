import { realpath } from 'node:fs/promises'
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path'
import { MIGRATION_FILE, SNAPSHOT_FILE_PATTERN, timestampPrefix } from '@ash-sqlite/snapshot'
import type { ResolvedRepo } from '../config/resolved-config.js'
import { NotAGitRepoError, RegenBlockedError } from './errors.js'
import { listGitFiles } from './git.js'
import type { UntrackedRepoFiles } from './types.js'

/** A repo's migrations and snapshots folders as configured, and as git sees them (real paths). */
interface RepoFolders {
  readonly repo: ResolvedRepo
  readonly migrationsDir: string
  readonly snapshotsDir: string
}

/** What git says about one repo's files, by folder-relative location. */
interface RepoGitFiles {
  /** Migration folders whose migration.sql is untracked (and not ignored). */
  readonly untrackedFolders: Set<string>
  /** `<table>/<YYYYMMDDHHMMSS>.json` snapshot files that are untracked (and not ignored). */
  readonly untrackedSnapshots: { table: string; file: string; timestamp: string }[]
  /** Tracked files inside each migration folder, by folder name. */
  readonly trackedInFolder: Map<string, string[]>
  readonly trackedSnapshotTimestamps: Set<string>
}

/**
 * The migration folders and resource snapshot files of each repo that git does not track yet: untracked
 * and not ignored. Staged files count as tracked, as in git (and AshSqlite's regen script, which lists
 * `git ls-files --others`): regen never leaves the index pointing at files it deleted. A migration folder
 * is untracked when its migration.sql is. Refuses (`RegenBlockedError`) when deleting them would touch a
 * tracked file or split a generate run that git half tracks. Paths are returned as the config spells them.
 */
export async function findUntrackedFiles(root: string, repos: readonly ResolvedRepo[]): Promise<UntrackedRepoFiles[]> {
  const folders = await Promise.all(repos.map((repo) => realFolders(root, repo)))
  const pathspecs = [...new Set(folders.flatMap((repo) => [repo.migrationsDir, repo.snapshotsDir]))].map(
    (dir) => relative(root, dir) || '.',
  )
  const lists = await listGitFiles(root, pathspecs)
  const problems: string[] = []
  const results = folders.map((repoFolders) => {
    const files = classify(repoFolders, lists.untracked, lists.tracked)
    problems.push(...conflicts(repoFolders.repo, files))
    return toResult(repoFolders.repo, files)
  })
  if (problems.length > 0) throw new RegenBlockedError(problems)
  return results
}

async function realFolders(root: string, repo: ResolvedRepo): Promise<RepoFolders> {
  const [migrationsDir, snapshotsDir] = await Promise.all([
    realPathAllowingMissing(repo.migrationsDir),
    realPathAllowingMissing(repo.snapshotsDir),
  ])
  for (const [configured, real] of [
    [repo.migrationsDir, migrationsDir],
    [repo.snapshotsDir, snapshotsDir],
  ] as const) {
    if (!isInside(root, real)) {
      throw new NotAGitRepoError(
        `${configured} (repo ${repo.name}) is outside the git work tree ${root}, so git cannot say which of its files are new.`,
      )
    }
  }
  return { repo, migrationsDir, snapshotsDir }
}

function classify(folders: RepoFolders, untracked: readonly string[], tracked: readonly string[]): RepoGitFiles {
  const files: RepoGitFiles = {
    untrackedFolders: new Set(),
    untrackedSnapshots: [],
    trackedInFolder: new Map(),
    trackedSnapshotTimestamps: new Set(),
  }
  for (const path of untracked) {
    const [folder, file, ...rest] = partsBelow(folders.migrationsDir, path)
    if (folder !== undefined && file === MIGRATION_FILE && rest.length === 0 && timestampPrefix(folder) !== null) {
      files.untrackedFolders.add(folder)
    }
    const snapshot = snapshotFileAt(folders.snapshotsDir, path)
    if (snapshot !== undefined) files.untrackedSnapshots.push(snapshot)
  }
  for (const path of tracked) {
    const [folder, ...inside] = partsBelow(folders.migrationsDir, path)
    if (folder !== undefined && inside.length > 0 && timestampPrefix(folder) !== null) {
      files.trackedInFolder.set(folder, [...(files.trackedInFolder.get(folder) ?? []), inside.join('/')])
    }
    const snapshot = snapshotFileAt(folders.snapshotsDir, path)
    if (snapshot !== undefined) files.trackedSnapshotTimestamps.add(snapshot.timestamp)
  }
  return files
}

function snapshotFileAt(snapshotsDir: string, path: string): RepoGitFiles['untrackedSnapshots'][number] | undefined {
  const [table, file, ...rest] = partsBelow(snapshotsDir, path)
  if (table === undefined || file === undefined || rest.length > 0) return undefined
  // The snapshot loader skips dot folders and only reads <YYYYMMDDHHMMSS>.json: other files are not ours.
  if (table.startsWith('.') || !SNAPSHOT_FILE_PATTERN.test(file)) return undefined
  const timestamp = timestampPrefix(file)
  return timestamp === null ? undefined : { table, file, timestamp }
}

/**
 * One generate run writes a migration folder and snapshot files with the same timestamp. When git tracks one
 * half, deleting the other half would make the regenerated migration repeat a committed change (or drop one).
 */
function conflicts(repo: ResolvedRepo, files: RepoGitFiles): string[] {
  const problems: string[] = []
  const trackedFolderTimestamps = new Map<string, string>()
  for (const [folder, inside] of files.trackedInFolder) {
    if (files.untrackedFolders.has(folder)) {
      problems.push(
        `${repo.name}: migration ${folder} is untracked but git tracks ${inside.join(', ')} inside it. Commit the whole folder, or unstage those files (git rm --cached), then run regen again.`,
      )
    } else if (inside.includes(MIGRATION_FILE)) {
      trackedFolderTimestamps.set(timestampPrefix(folder) as string, folder)
    }
  }
  for (const snapshot of files.untrackedSnapshots) {
    const folder = trackedFolderTimestamps.get(snapshot.timestamp)
    if (folder === undefined) continue
    problems.push(
      `${repo.name}: snapshot ${snapshot.table}/${snapshot.file} is untracked but was generated with migration ${folder}, which git tracks. Add the snapshot to git (git add), then run regen again.`,
    )
  }
  for (const folder of files.untrackedFolders) {
    if (!files.trackedSnapshotTimestamps.has(timestampPrefix(folder) as string)) continue
    problems.push(
      `${repo.name}: migration ${folder} is untracked but resource snapshots generated with it are tracked. Add the migration to git (git add), or remove those snapshots from git, then run regen again.`,
    )
  }
  return problems
}

function toResult(repo: ResolvedRepo, files: RepoGitFiles): UntrackedRepoFiles {
  return {
    repo: repo.name,
    migrations: [...files.untrackedFolders].sort(),
    snapshotFiles: files.untrackedSnapshots
      .map((snapshot) => join(repo.snapshotsDir, snapshot.table, snapshot.file))
      .sort(),
  }
}

/** Path segments of `path` below `dir`, or none when it is not below it. */
function partsBelow(dir: string, path: string): string[] {
  const rel = relative(dir, path)
  if (rel === '' || !isInside(dir, path)) return []
  return rel.split(sep)
}

function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path)
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel))
}

/** The real path of `path`, whose last segments may not exist yet (a repo without migrations). */
async function realPathAllowingMissing(path: string): Promise<string> {
  const missing: string[] = []
  let current = path
  for (;;) {
    try {
      return join(await realpath(current), ...missing.reverse())
    } catch (error) {
      const parent = dirname(current)
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || parent === current) throw error
      missing.push(basename(current))
      current = parent
    }
  }
}
