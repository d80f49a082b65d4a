import { createHash } from 'node:crypto'
import { type Dirent, existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { DOWN_FILE, MIGRATION_FILE, MIGRATION_FOLDER_PATTERN } from '@ash-sqlite/snapshot/layout'
import { MissingMigrationFileError } from './errors.js'
import { compareNames, type MigrationFolder } from './migration-text.js'
import { readSquashManifest, SQUASHED_DIR } from './squash-manifest.js'

export {
  compareNames,
  type MigrationFolder,
  matchesRecordedHash,
  splitStatements,
  statementBreakpoint,
  timestampMillis,
} from './migration-text.js'

/**
 * The migration folders of one repo, sorted by name (= by timestamp). Entries that are not migration
 * folders are ignored: files, dotfiles, folders whose name does not start with a 14-digit timestamp. A
 * migration folder without a migration.sql throws `MissingMigrationFileError` (drizzle-orm's migrator skips
 * it silently, so every database would miss it). A missing directory means no
 * migrations. Reads every migration.sql and down.sql; use `listMigrationFolderNames` when names suffice.
 */
export async function readMigrationFolders(repoMigrationsDir: string): Promise<MigrationFolder[]> {
  return readMigrationFoldersSync(repoMigrationsDir)
}

/**
 * `readMigrationFolders`, synchronously. Reading a hundred small files one after the other is several times
 * faster than through fs/promises (each read there is a round trip through libuv's thread pool), and the
 * migrator has nothing else to do meanwhile.
 */
export function readMigrationFoldersSync(repoMigrationsDir: string): MigrationFolder[] {
  const names = listMigrationFolderNamesSync(repoMigrationsDir)
  const folders = names.map((name) => readMigrationFolder(join(repoMigrationsDir, name), name))
  return folders.filter((folder): folder is MigrationFolder => folder !== null)
}

/**
 * Names of the folders that look like migration folders, sorted, without reading any file. It does not
 * check for migration.sql, so it may include a folder `readMigrationFolders` skips.
 */
export async function listMigrationFolderNames(repoMigrationsDir: string): Promise<string[]> {
  return listMigrationFolderNamesSync(repoMigrationsDir)
}

function listMigrationFolderNamesSync(repoMigrationsDir: string): string[] {
  let entries: Dirent[]
  try {
    entries = readdirSync(repoMigrationsDir, { withFileTypes: true })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
  return entries
    .filter((entry) => entry.isDirectory() && MIGRATION_FOLDER_PATTERN.test(entry.name))
    .map((entry) => entry.name)
    .sort(compareNames)
}

/** sha256 hex of a migration file's text, as drizzle-orm computes it (the UTF-8 decoded file, re-encoded). */
export function hashMigrationSql(sql: string): string {
  return createHash('sha256').update(sql).digest('hex')
}

function readMigrationFolder(path: string, name: string): MigrationFolder {
  const upSql = readOptional(join(path, MIGRATION_FILE))
  if (upSql === null) throw new MissingMigrationFileError(path)
  const downSql = readOptional(join(path, DOWN_FILE))
  const folder = { name, timestamp: name.slice(0, 14), path, upSql, downSql, hash: hashMigrationSql(upSql) }
  const manifest = readSquashManifest(path)
  if (manifest === null) return folder
  // A replaced migration whose kept copy was deleted is simply absent: the migrator only needs it for a
  // database that applied part of the squash, and reports SquashCatchUpError there.
  const keptDir = join(path, SQUASHED_DIR)
  const kept = manifest.replaces
    .filter((entry) => existsSync(join(keptDir, entry.name, MIGRATION_FILE)))
    .map((entry) => readMigrationFolder(join(keptDir, entry.name), entry.name))
  return { ...folder, squash: { replaces: manifest.replaces, kept } }
}

function readOptional(path: string): string | null {
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'EISDIR') return null
    throw error
  }
}
