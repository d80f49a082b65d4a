/**
 * The on-disk format of a squash (owned here; `ash-sqlite squash` writes it, the migrator reads it):
 *
 *   <migrations>/<repo>/<timestamp>_<name>/migration.sql   the squashed schema, built from nothing
 *   <migrations>/<repo>/<timestamp>_<name>/down.sql        drops it (rollback past a squash is refused)
 *   <migrations>/<repo>/<timestamp>_<name>/squash.json     { "version": 1, "replaces": [{ "name", "hash" }, ...] }
 *   <migrations>/<repo>/<timestamp>_<name>/squashed/<replaced folder>/...   the replaced migrations, kept
 *
 * A database that recorded every replaced migration has the squash applied (its own row is added on the
 * next migrate, so drizzle-orm's migrator agrees); one that recorded some catches up through the kept
 * folders; a fresh one runs the squash. drizzle-orm's own migrator reads only `migration.sql` of each
 * top-level folder, so it sees an ordinary migration.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { MigrationFolder } from './migration-text.js'

export const SQUASH_MANIFEST = 'squash.json'
export const SQUASHED_DIR = 'squashed'
const MANIFEST_VERSION = 1

export interface ReplacedMigration {
  readonly name: string
  /** sha256 of its migration.sql when it was squashed. */
  readonly hash: string
}

export interface SquashManifest {
  readonly version: number
  readonly replaces: readonly ReplacedMigration[]
}

export function serializeSquashManifest(replaces: readonly ReplacedMigration[]): string {
  return `${JSON.stringify({ version: MANIFEST_VERSION, replaces }, null, 2)}\n`
}

/** The manifest of a squash folder, or null for an ordinary migration folder. */
export function readSquashManifest(folderPath: string): SquashManifest | null {
  const path = join(folderPath, SQUASH_MANIFEST)
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new Error(`${path} is not valid JSON. Restore it from version control.`)
  }
  const manifest = parsed as Partial<SquashManifest>
  const valid =
    manifest.version === MANIFEST_VERSION &&
    Array.isArray(manifest.replaces) &&
    manifest.replaces.every((entry) => typeof entry?.name === 'string' && typeof entry?.hash === 'string')
  if (!valid) {
    throw new Error(
      `${path} is not a squash manifest this version understands (expected { "version": 1, "replaces": [{ "name", "hash" }] }).`,
    )
  }
  return manifest as SquashManifest
}

/** The squash information of a folder: what it replaces, and the kept copies of those migrations. */
export interface SquashInfo {
  readonly replaces: readonly ReplacedMigration[]
  /** The kept folders (`squashed/<name>`), by name; a name whose copy was deleted is absent. */
  readonly kept: readonly MigrationFolder[]
}
