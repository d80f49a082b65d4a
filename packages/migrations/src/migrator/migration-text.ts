/**
 * The pure half of the migration files format: names, statement splitting, timestamps and the folder shape.
 * No `node:` imports, so the D1 applier can use it inside a Worker (migration-files.ts reads the files).
 */
import { sha256Hex } from './sha256.js'
import type { SquashInfo } from './squash-manifest.js'

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

/**
 * Whether `recordedHash` (drizzle's sha256 of migration.sql when it was applied) is this file, allowing for
 * line endings only: a checkout with CRLF line endings (git's autocrlf on Windows) of a migration applied
 * from an LF checkout, or the other way round, is the same migration. The raw hash is what gets written.
 */
export function matchesRecordedHash(folder: MigrationFolder, recordedHash: string): boolean {
  if (folder.hash === recordedHash) return true
  const lf = folder.upSql.replace(/\r\n/g, '\n')
  return sha256Hex(lf) === recordedHash || sha256Hex(lf.replace(/\n/g, '\r\n')) === recordedHash
}
