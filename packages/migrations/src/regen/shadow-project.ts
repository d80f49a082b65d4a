import type { Dirent } from 'node:fs'
import { constants, copyFile, mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { isAbsolute, join, relative, sep } from 'node:path'
import { isTimestamp, timestampPrefix } from '@ash-sqlite/snapshot'
import type { ResolvedConfig, ResolvedRepo } from '../config/resolved-config.js'

/** Files of one repo that regen deletes. */
export interface RepoRemovals {
  readonly repo: string
  /** Migration folder names. */
  readonly migrations: readonly string[]
  /** Absolute snapshot file paths, as the config spells them. */
  readonly snapshotFiles: readonly string[]
}

/**
 * The project as it will be once the untracked files are gone, for `generate` to diff against without
 * deleting anything yet: regen must know the new migration (and ask about renames) before it rolls back a
 * database, and delete the old files and write the new ones in one all-or-nothing file set.
 */
export interface ShadowProject {
  /** The config whose repos read their migrations and snapshots from the shadow folders. */
  readonly config: ResolvedConfig
  /** Maps a path under the shadow folders back to the same place in the project. */
  toProject(path: string): string
  remove(): Promise<void>
}

const SNAPSHOT_FILE = /^(\d{14})\.json$/

/**
 * Builds the shadow folders in the OS temp dir. It copies only what `generate` reads (DESIGN section 4: the
 * newest snapshot per table wins; the newest migration's snapshot.json parents the next one), plus any
 * misnamed snapshot file so that generate reports it as it would in the project. Repos without removals
 * keep reading the project's own folders; every new file is placed under the shadow roots and mapped back.
 */
export async function createShadowProject(
  config: ResolvedConfig,
  removals: readonly RepoRemovals[],
): Promise<ShadowProject> {
  const root = await mkdtemp(join(tmpdir(), 'ash-sqlite-regen-'))
  const migrationsDir = join(root, 'migrations')
  const snapshotsDir = join(root, 'resource_snapshots')
  try {
    const repos = await Promise.all(
      config.repos.map(async (repo): Promise<ResolvedRepo> => {
        const removal = removals.find((entry) => entry.repo === repo.name)
        if (removal === undefined || (removal.migrations.length === 0 && removal.snapshotFiles.length === 0)) {
          return repo
        }
        const shadowRepo = {
          ...repo,
          migrationsDir: join(migrationsDir, repo.name),
          snapshotsDir: join(snapshotsDir, repo.name),
        }
        await copyMigrationsWithout(repo.migrationsDir, shadowRepo.migrationsDir, new Set(removal.migrations))
        await copySnapshotsWithout(repo.snapshotsDir, shadowRepo.snapshotsDir, new Set(removal.snapshotFiles))
        return shadowRepo
      }),
    )
    return {
      config: { ...config, migrationsDir, snapshotsDir, repos },
      toProject: (path) =>
        mapBelow(path, migrationsDir, config.migrationsDir) ??
        mapBelow(path, snapshotsDir, config.snapshotsDir) ??
        path,
      remove: () => rm(root, { recursive: true, force: true }),
    }
  } catch (error) {
    await rm(root, { recursive: true, force: true })
    throw error
  }
}

/** Every kept migration folder (empty: only its name counts), and the newest one's files. */
async function copyMigrationsWithout(from: string, to: string, removed: ReadonlySet<string>): Promise<void> {
  const kept = (await listEntries(from))
    .filter((entry) => entry.isDirectory() && timestampPrefix(entry.name) !== null && !removed.has(entry.name))
    .map((entry) => entry.name)
    .sort()
  await mkdir(to, { recursive: true })
  for (const name of kept) await mkdir(join(to, name))
  const newest = kept.at(-1)
  if (newest === undefined) return
  for (const entry of await listEntries(join(from, newest))) {
    if (entry.isFile()) await copy(join(from, newest, entry.name), join(to, newest, entry.name))
  }
}

async function copySnapshotsWithout(from: string, to: string, removed: ReadonlySet<string>): Promise<void> {
  await mkdir(to, { recursive: true })
  for (const entry of await listEntries(from)) {
    if (entry.name.startsWith('.') || !(await isDirectory(join(from, entry.name), entry))) continue
    const tableDir = join(from, entry.name)
    const kept = (await readdir(tableDir)).filter(
      (name) => !name.startsWith('.') && name.endsWith('.json') && !removed.has(join(tableDir, name)),
    )
    const valid = kept.filter(isSnapshotName).sort()
    const copied = [...kept.filter((name) => !isSnapshotName(name)), ...valid.slice(-1)]
    if (copied.length === 0) continue
    await mkdir(join(to, entry.name))
    for (const name of copied) await copy(join(tableDir, name), join(to, entry.name, name))
  }
}

function isSnapshotName(name: string): boolean {
  const timestamp = SNAPSHOT_FILE.exec(name)?.[1]
  return timestamp !== undefined && isTimestamp(timestamp)
}

function copy(from: string, to: string): Promise<void> {
  return copyFile(from, to, constants.COPYFILE_FICLONE)
}

async function listEntries(dir: string): Promise<Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
}

async function isDirectory(path: string, entry: Dirent): Promise<boolean> {
  if (entry.isDirectory()) return true
  return entry.isSymbolicLink() && ((await stat(path).catch(() => undefined))?.isDirectory() ?? false)
}

function mapBelow(path: string, from: string, to: string): string | undefined {
  const rel = relative(from, path)
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined
  return join(to, rel)
}
