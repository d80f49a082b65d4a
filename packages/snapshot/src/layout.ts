/**
 * The on-disk layout of a project, in one place: every reader and writer (generate, the migrator, regen,
 * rebase, the snapshot loader) takes folder names, file names and name patterns from here, so the format
 * is spelled once. Kept free of imports with side effects: the production migrator loads it on its own
 * (`@ash-sqlite/snapshot/layout`).
 *
 *   <migrationsDir>/<repo>/<YYYYMMDDHHMMSS>_<name>/migration.sql   up, statements split by the breakpoint
 *   <migrationsDir>/<repo>/<YYYYMMDDHHMMSS>_<name>/down.sql        down, same format
 *   <migrationsDir>/<repo>/<YYYYMMDDHHMMSS>_<name>/snapshot.json   drizzle-kit's snapshot after the migration
 *   <snapshotsDir>/<repo>/<table>/<YYYYMMDDHHMMSS>.json            one resource snapshot per table per change
 *   <cwd>/.ash-sqlite/staging/                                      staged file sets and the generate lock
 */

/** The up file of a migration folder (drizzle-kit's name: drizzle-orm's migrator reads it). */
export const MIGRATION_FILE = 'migration.sql'
/** The down file of a migration folder (ours; drizzle-orm ignores it). */
export const DOWN_FILE = 'down.sql'
/** drizzle-kit's whole-schema snapshot inside a migration folder. */
export const DRIZZLE_SNAPSHOT_FILE = 'snapshot.json'

/** drizzle-kit's marker between statements of one migration file; readers split on it. */
export const STATEMENT_BREAKPOINT = '--> statement-breakpoint'
/** The marker as writers put it after each statement's own text, exactly as drizzle-kit writes it. */
export const STATEMENT_SEPARATOR: string = `${STATEMENT_BREAKPOINT}\n`

/** `<YYYYMMDDHHMMSS>` or `<YYYYMMDDHHMMSS>_<name>`: a migration folder (the timestamp is group 1). */
export const MIGRATION_FOLDER_PATTERN: RegExp = /^(\d{14})(?:_.+)?$/
/** `<YYYYMMDDHHMMSS>.json`: a resource snapshot file inside a table's folder (the timestamp is group 1). */
export const SNAPSHOT_FILE_PATTERN: RegExp = /^(\d{14})\.json$/
/** Suffixes a user can pass to generate as a migration name (they become part of a folder name). */
export const MIGRATION_NAME_PATTERN: RegExp = /^[A-Za-z0-9_-]+$/

/** Staging folder of a project, relative to its working directory (posix separators). */
export const STAGING_DIR = '.ash-sqlite/staging'
/** Name of the generate lock file inside the staging folder. */
export const GENERATE_LOCK_FILE = 'generate.lock'

/** The folder name of a migration: `<timestamp>_<name>`. */
export function migrationFolderName(timestamp: string, name: string): string {
  return `${timestamp}_${name}`
}

/** The file name of a resource snapshot: `<timestamp>.json`. */
export function snapshotFileName(timestamp: string): string {
  return `${timestamp}.json`
}

/** The timestamp of a migration folder name, or null when the name is not one. */
export function migrationFolderTimestamp(name: string): string | null {
  return MIGRATION_FOLDER_PATTERN.exec(name)?.[1] ?? null
}

/** The timestamp of a resource snapshot file name, or null when the name is not one. */
export function snapshotFileTimestamp(name: string): string | null {
  return SNAPSHOT_FILE_PATTERN.exec(name)?.[1] ?? null
}
