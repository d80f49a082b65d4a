import { createHash } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { compareNames, type MigrationFolder } from './migration-text.js'

export {
  compareNames,
  type MigrationFolder,
  splitStatements,
  statementBreakpoint,
  timestampMillis,
} from './migration-text.js'

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
  return { name, timestamp: name.slice(0, 14), path, upSql, downSql, hash: hashMigrationSql(upSql) }
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
