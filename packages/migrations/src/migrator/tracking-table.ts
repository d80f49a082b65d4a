/**
 * drizzle's tracking table, `__drizzle_migrations`, in the shape drizzle-orm 1.0 uses:
 * `(id INTEGER PRIMARY KEY, hash text NOT NULL, created_at numeric, name text, applied_at TEXT)`, with
 * rows written the way drizzle-orm writes them (hash = sha256 of migration.sql, created_at = the folder
 * timestamp in epoch ms, name = the folder name, applied_at = ISO time), so drizzle-orm's `migrate()` and
 * ours can take turns on one database. Applied means: the folder name is in the table.
 *
 * drizzle 0.x tables have only (id, hash, created_at). They are upgraded in place the way drizzle-orm
 * does it: add the columns, then name each row after the local migration with the same timestamp second
 * (or, failing that, the same hash). A row that matches nothing stops the upgrade.
 */
import type { SqlRunner, SqlStatement } from '../database/session.js'
import { TrackingTableError } from './errors.js'
import { compareNames, type MigrationFolder, timestampMillis } from './migration-text.js'

export const trackingTable = '__drizzle_migrations'
const quotedTable = `"${trackingTable}"`

/** One row of the tracking table. */
export interface AppliedMigration {
  /** The `id` column, or SQLite's rowid where `id` is NULL (drizzle 0.x declared it `SERIAL`, which SQLite never fills). */
  readonly id: number
  /** Null only in rows nobody could name (written by hand, or by a tool that skips the column). */
  readonly name: string | null
  readonly hash: string
  readonly createdAt: number | null
  readonly appliedAt: string | null
}

// drizzle 0.x rows have NULL ids, so rows are identified (and ordered) by rowid.
const legacyRowsSql = `SELECT rowid AS id, hash, created_at FROM ${quotedTable} ORDER BY rowid`

export const createTrackingTableSql: string = `CREATE TABLE IF NOT EXISTS ${quotedTable} (
  id INTEGER PRIMARY KEY,
  hash text NOT NULL,
  created_at numeric,
  name text,
  applied_at TEXT
)`

/** Every row of the tracking table, oldest first; legacy rows get their names matched in memory. */
export async function readAppliedMigrations(
  runner: SqlRunner,
  folders: readonly MigrationFolder[],
): Promise<AppliedMigration[]> {
  const columns = await readColumns(runner)
  if (columns.size === 0) return []
  checkCoreColumns(columns)
  if (!columns.has('name')) {
    const legacyRows = await runner.query(legacyRowsSql)
    return nameLegacyRows(legacyRows.map(toAppliedMigration), folders)
  }
  const appliedAt = columns.has('applied_at') ? 'applied_at' : 'NULL AS applied_at'
  const rows = await runner.query(
    `SELECT coalesce(id, rowid) AS id, hash, created_at, name, ${appliedAt} FROM ${quotedTable} ORDER BY rowid`,
  )
  return rows.map(toAppliedMigration)
}

/**
 * Creates the tracking table (when `create`), or upgrades an older shape in place. Run it inside a write
 * transaction: the columns are read again under the lock, so concurrent runs upgrade it once.
 */
export async function ensureTrackingTable(
  tx: SqlRunner,
  folders: readonly MigrationFolder[],
  options: { create: boolean },
): Promise<void> {
  const columns = await readColumns(tx)
  if (columns.size === 0) {
    if (options.create) await tx.query(createTrackingTableSql)
    return
  }
  checkCoreColumns(columns)
  if (!columns.has('name')) await upgradeLegacyTable(tx, folders, columns)
  else if (!columns.has('applied_at')) await tx.query(`ALTER TABLE ${quotedTable} ADD COLUMN applied_at TEXT`)
}

/**
 * `ensureTrackingTable` then `readAppliedMigrations`, reading the table's columns once: what a write
 * transaction of the migrator starts with, under the lock.
 */
export async function ensureAndReadAppliedMigrations(
  tx: SqlRunner,
  folders: readonly MigrationFolder[],
  options: { create: boolean },
): Promise<AppliedMigration[]> {
  const columns = await readColumns(tx)
  if (columns.size === 0) {
    if (options.create) await tx.query(createTrackingTableSql)
    return []
  }
  if (columns.has('name') && columns.has('applied_at')) {
    const rows = await tx.query(
      `SELECT coalesce(id, rowid) AS id, hash, created_at, name, applied_at FROM ${quotedTable} ORDER BY rowid`,
    )
    return rows.map(toAppliedMigration)
  }
  await ensureTrackingTable(tx, folders, options)
  return readAppliedMigrations(tx, folders)
}

/** `absent`, `current` (drizzle 1.0's shape), or `outdated` (an older shape `ensureTrackingTable` upgrades). */
export async function trackingTableState(runner: SqlRunner): Promise<'absent' | 'current' | 'outdated'> {
  const columns = await readColumns(runner)
  if (columns.size === 0) return 'absent'
  return columns.has('name') && columns.has('applied_at') ? 'current' : 'outdated'
}

export async function isRecorded(runner: SqlRunner, name: string): Promise<boolean> {
  const rows = await runner.query(`SELECT 1 FROM ${quotedTable} WHERE name = ? LIMIT 1`, [name])
  return rows.length > 0
}

/** The row drizzle-orm itself would write for this migration (the byte-exact hash of migration.sql). */
export function recordAppliedStatement(folder: MigrationFolder, appliedAt: Date): SqlStatement {
  return {
    sql: `INSERT INTO ${quotedTable} ("hash", "created_at", "name", "applied_at") VALUES (?, ?, ?, ?)`,
    args: [folder.hash, timestampMillis(folder.timestamp), folder.name, appliedAt.toISOString()],
  }
}

/**
 * `recordAppliedStatement` as plain SQL text, with its values as literals, for running together with a
 * migration's statements in one text (run-migration.ts). The values are a hex hash, an integer, an ISO
 * time and a folder name (quotes doubled).
 */
export function recordAppliedSql(folder: MigrationFolder, appliedAt: Date): string {
  const values = [
    sqlString(folder.hash),
    String(timestampMillis(folder.timestamp)),
    sqlString(folder.name),
    sqlString(appliedAt.toISOString()),
  ]
  return `INSERT INTO ${quotedTable} ("hash", "created_at", "name", "applied_at") VALUES (${values.join(', ')})`
}

export function removeRecordSql(name: string): string {
  return `DELETE FROM ${quotedTable} WHERE name = ${sqlString(name)}`
}

function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`
}

export function removeRecordStatement(name: string): SqlStatement {
  return { sql: `DELETE FROM ${quotedTable} WHERE name = ?`, args: [name] }
}

export async function recordApplied(tx: SqlRunner, folder: MigrationFolder, appliedAt: Date): Promise<void> {
  const { sql, args } = recordAppliedStatement(folder, appliedAt)
  await tx.query(sql, args)
}

export async function removeRecord(tx: SqlRunner, name: string): Promise<void> {
  const { sql, args } = removeRecordStatement(name)
  await tx.query(sql, args)
}

/** Names the rows of a drizzle 0.x table: same timestamp second first, then same hash (drizzle's rules). */
export function nameLegacyRows(
  rows: readonly AppliedMigration[],
  folders: readonly MigrationFolder[],
): AppliedMigration[] {
  const bySecond = new Map<number, MigrationFolder[]>()
  for (const folder of [...folders].sort((a, b) => compareNames(a.name, b.name))) {
    const millis = timestampMillis(folder.timestamp)
    bySecond.set(millis, [...(bySecond.get(millis) ?? []), folder])
  }
  const unmatched: AppliedMigration[] = []
  const named = rows.map((row) => {
    const candidates = row.createdAt === null ? [] : (bySecond.get(Math.floor(row.createdAt / 1000) * 1000) ?? [])
    const match =
      candidates.length === 1
        ? candidates[0]
        : (candidates.length > 1 ? candidates : folders).find((folder) => folder.hash === row.hash)
    if (match === undefined) unmatched.push(row)
    return { ...row, name: match?.name ?? null }
  })
  if (unmatched.length > 0) {
    const described = unmatched.map((row) => `id ${row.id} (created_at ${row.createdAt ?? 'NULL'})`).join(', ')
    throw new TrackingTableError(
      `${trackingTable} is in drizzle 0.x's shape and ${unmatched.length} of its rows match no local migration folder by timestamp or hash: ${described}.\n  Restore the missing migration folders before migrating this database.`,
    )
  }
  return named
}

async function upgradeLegacyTable(
  tx: SqlRunner,
  folders: readonly MigrationFolder[],
  columns: ReadonlySet<string>,
): Promise<void> {
  const legacyRows = await tx.query(legacyRowsSql)
  const named = nameLegacyRows(legacyRows.map(toAppliedMigration), folders)
  await tx.query(`ALTER TABLE ${quotedTable} ADD COLUMN name text`)
  if (!columns.has('applied_at')) await tx.query(`ALTER TABLE ${quotedTable} ADD COLUMN applied_at TEXT`)
  for (const row of named) await tx.query(`UPDATE ${quotedTable} SET name = ? WHERE rowid = ?`, [row.name, row.id])
}

async function readColumns(runner: SqlRunner): Promise<Set<string>> {
  const rows = await runner.query('SELECT name FROM pragma_table_info(?)', [trackingTable])
  return new Set(rows.map((row) => String(row.name)))
}

function checkCoreColumns(columns: ReadonlySet<string>): void {
  const missing = ['id', 'hash', 'created_at'].filter((column) => !columns.has(column))
  if (missing.length > 0) {
    throw new TrackingTableError(
      `${trackingTable} exists but has no ${missing.join(', ')} column: it is not drizzle's tracking table. Rename or drop it, then migrate again.`,
    )
  }
}

function toAppliedMigration(row: Record<string, unknown>): AppliedMigration {
  const createdAt = row.created_at === null || row.created_at === undefined ? null : Number(row.created_at)
  return {
    id: Number(row.id),
    name: typeof row.name === 'string' ? row.name : null,
    hash: String(row.hash),
    createdAt: Number.isFinite(createdAt) ? createdAt : null,
    appliedAt: typeof row.applied_at === 'string' ? row.applied_at : null,
  }
}
