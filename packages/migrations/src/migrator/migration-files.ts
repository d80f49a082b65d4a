import { createHash } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { readSquashManifest, SQUASHED_DIR, type SquashInfo } from './squash-manifest.js'

/** One migration folder on disk: `<YYYYMMDDHHMMSS>_<name>/migration.sql` (+ `down.sql`, `snapshot.json`). */
export interface MigrationFolder {
  /** The folder name, which is also the name recorded in `__drizzle_migrations`. */
  readonly name: string
  /** Its first 14 characters, `YYYYMMDDHHMMSS` in UTC. */
  readonly timestamp: string
  /** Absolute path of the folder. */
  readonly path: string
  /** The text of migration.sql. */
  readonly upSql: string
  /** The text of down.sql, or null when the folder has none. */
  readonly downSql: string | null
  /** sha256 hex of migration.sql, exactly as drizzle-orm records it in `__drizzle_migrations.hash`. */
  readonly hash: string
  /** Set when the folder is a squash of earlier migrations (see squash-manifest.ts). */
  readonly squash?: SquashInfo
}

/** drizzle-kit's separator between statements of one migration file. */
export const statementBreakpoint = '--> statement-breakpoint'

const folderNamePattern = /^(\d{14})(?:_.+)?$/

/**
 * The migration folders of one repo, sorted by name (= by timestamp). Entries that are not migration
 * folders are ignored: files, dotfiles, folders whose name does not start with a 14-digit timestamp, and
 * folders without a migration.sql (drizzle-orm's migrator skips those too). A missing directory means no
 * migrations. Reads every migration.sql and down.sql; use `listMigrationFolderNames` when names suffice.
 */
export async function readMigrationFolders(repoMigrationsDir: string): Promise<MigrationFolder[]> {
  const names = await listMigrationFolderNames(repoMigrationsDir)
  const folders = await Promise.all(names.map((name) => readMigrationFolder(join(repoMigrationsDir, name), name)))
  return folders.filter((folder): folder is MigrationFolder => folder !== null)
}

/**
 * Names of the folders that look like migration folders, sorted, without reading any file. It does not
 * check for migration.sql, so it may include a folder `readMigrationFolders` skips.
 */
export async function listMigrationFolderNames(repoMigrationsDir: string): Promise<string[]> {
  const entries = await readdir(repoMigrationsDir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return []
    throw error
  })
  return entries
    .filter((entry) => entry.isDirectory() && folderNamePattern.test(entry.name))
    .map((entry) => entry.name)
    .sort(compareNames)
}

/** Orders migration names by code points: the timestamp prefix decides, independent of locale. */
export function compareNames(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0
}

/**
 * The statements of a migration file: split at every `--> statement-breakpoint` (where drizzle-orm splits
 * too), trimmed, empty pieces dropped.
 */
export function splitStatements(sql: string): string[] {
  return sql
    .split(statementBreakpoint)
    .map((statement) => statement.trim())
    .filter((statement) => statement !== '')
}

/** The folder timestamp as epoch milliseconds: what drizzle-orm stores in `created_at`. */
export function timestampMillis(timestamp: string): number {
  const part = (start: number, end: number): number => Number(timestamp.slice(start, end))
  return Date.UTC(part(0, 4), part(4, 6) - 1, part(6, 8), part(8, 10), part(10, 12), part(12, 14))
}

/** sha256 hex of a migration file's text, as drizzle-orm computes it (the UTF-8 decoded file, re-encoded). */
export function hashMigrationSql(sql: string): string {
  return createHash('sha256').update(sql).digest('hex')
}

async function readMigrationFolder(path: string, name: string): Promise<MigrationFolder | null> {
  const [upSql, downSql] = await Promise.all([
    readOptional(join(path, 'migration.sql')),
    readOptional(join(path, 'down.sql')),
  ])
  if (upSql === null) return null
  const folder = { name, timestamp: name.slice(0, 14), path, upSql, downSql, hash: hashMigrationSql(upSql) }
  const manifest = await readSquashManifest(path)
  if (manifest === null) return folder
  const keptDir = join(path, SQUASHED_DIR)
  const kept = await Promise.all(
    manifest.replaces.map((entry) => readMigrationFolder(join(keptDir, entry.name), entry.name)),
  )
  return { ...folder, squash: { replaces: manifest.replaces, kept: kept.filter((entry) => entry !== null) } }
}

async function readOptional(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'EISDIR') return null
    throw error
  }
}
