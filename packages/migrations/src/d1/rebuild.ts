/**
 * The D1-safe table rebuild, rendered from a typed description. Pure: no I/O, no `node:` imports.
 *
 * D1 always enforces foreign keys (`PRAGMA foreign_keys=OFF` does nothing: every call runs inside a
 * transaction), so the rebuild SQLite documents (and drizzle-kit writes) cascades into child tables when the
 * old table is dropped: ON DELETE CASCADE children are deleted, SET NULL children lose their keys, reported as
 * success. `defer_foreign_keys` defers only the checks, not the actions. This rebuild keeps every row:
 *
 *  1. `PRAGMA defer_foreign_keys = ON`: children may point at no table for the length of the batch;
 *  2. the rows are copied aside (with the AUTOINCREMENT high-water mark);
 *  3. a temporary `BEFORE DELETE` (CASCADE) or `BEFORE UPDATE` (SET NULL / SET DEFAULT) trigger on each child
 *     does `RAISE(IGNORE)`, so the actions fired by the drop change no child row. SQLite fires the newest
 *     trigger first, so it runs before any trigger of the child's own (pinned by d1/trigger-order.test.ts);
 *  4. the table is dropped and created again under the SAME name, so the children's foreign keys still name
 *     it (a rename would make SQLite rewrite or refuse them), then the temporary triggers go;
 *  5. its indexes are created, the rows copied back (generated columns are not copied), the copy dropped, the
 *     AUTOINCREMENT high-water mark restored, and the table's own triggers created after the copy, so they do
 *     not fire on it. Views naming the table survive: a view is only resolved when it is used;
 *  6. the row count is asserted (a throwaway table whose CHECK fails names the table), and at the end of the
 *     migration, foreign key integrity (`renderForeignKeyAssertion`), so a rebuild that would orphan rows fails
 *     inside the batch with the table's name instead of a deferred failure at commit.
 *
 * The statements are plain SQL that D1 accepts one by one, so the same migration.sql runs under
 * `wrangler d1 migrations apply` (one batch per file) and under ash-sqlite's D1 applier (one batch too).
 */

/** ON DELETE actions that write child rows when a parent row is deleted. */
export type ChildDeleteAction = 'CASCADE' | 'SET NULL' | 'SET DEFAULT'

/** A table whose foreign key into the rebuilt table would change its rows when the old table is dropped. */
export interface RebuildChild {
  readonly table: string
  readonly onDelete: ChildDeleteAction
}

/** One column of the new table and the SQL expression (over the old table's columns) it is filled from. */
export interface CopiedColumn {
  readonly column: string
  readonly expression: string
}

/** Everything the D1 rebuild of one table needs, decided by the generator. */
export interface D1TableRebuild {
  /** The table; it keeps its name. */
  readonly table: string
  /** `CREATE TABLE` of the new shape, under the table's own name. */
  readonly createTable: string
  /** The columns copied back, generated columns excluded. */
  readonly copy: readonly CopiedColumn[]
  /** Other tables referencing this one with an ON DELETE action that writes rows (self-references excluded). */
  readonly children: readonly RebuildChild[]
  /** `CREATE INDEX` statements of the new table: created before the copy back. */
  readonly indexes: readonly string[]
  /** Statements creating the table's own triggers: run after the copy back. */
  readonly triggers: readonly string[]
  /** The table is `INTEGER PRIMARY KEY AUTOINCREMENT`: its sqlite_sequence value is kept. */
  readonly autoincrement: boolean
  /** The table has no INTEGER PRIMARY KEY: copy each row's rowid so it stays the same. */
  readonly keepRowid: boolean
}

/** Names of the helper objects a rebuild creates and drops within its batch. */
export const rebuildNames = {
  prefix: '__ash_sqlite_',
  backup: (table: string): string => `__ash_sqlite_old_${table}`,
  sequence: (table: string): string => `__ash_sqlite_seq_${table}`,
  keepTrigger: (table: string, child: string, event: 'delete' | 'update'): string =>
    `__ash_sqlite_keep_${table}_${child}_${event}`,
  check: '__ash_sqlite_check',
  rowidColumn: '__ash_sqlite_rowid',
  lostRowsConstraint: (table: string): string => `ash_sqlite_rebuild_rows__${table}`,
  orphansConstraint: (table: string): string => `ash_sqlite_rebuild_orphans__${table}`,
} as const

/** The statement that makes D1 defer foreign key checks to the end of the batch. */
export const deferForeignKeys = 'PRAGMA defer_foreign_keys = ON;'

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`
}

export function quoteString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`
}

/** The statements of one rebuild, in order (the foreign key assertion comes separately, at the migration's end). */
export function renderD1Rebuild(rebuild: D1TableRebuild): string[] {
  const table = quoteIdentifier(rebuild.table)
  const backup = quoteIdentifier(rebuildNames.backup(rebuild.table))
  const sequence = quoteIdentifier(rebuildNames.sequence(rebuild.table))
  const rowid = quoteIdentifier(rebuildNames.rowidColumn)
  const name = quoteString(rebuild.table)
  const keepTriggers = keepTriggersOf(rebuild)

  const targets = rebuild.copy.map((column) => quoteIdentifier(column.column))
  const sources = rebuild.copy.map((column) => column.expression)
  if (rebuild.keepRowid) {
    targets.unshift('rowid')
    sources.unshift(rowid)
  }
  return [
    deferForeignKeys,
    `CREATE TABLE ${backup} AS SELECT ${rebuild.keepRowid ? `rowid AS ${rowid}, ` : ''}* FROM ${table};`,
    ...(rebuild.autoincrement
      ? [`CREATE TABLE ${sequence} AS SELECT "seq" FROM "sqlite_sequence" WHERE "name" = ${name};`]
      : []),
    ...keepTriggers.map(
      (trigger) =>
        `CREATE TRIGGER ${quoteIdentifier(trigger.name)} BEFORE ${trigger.event.toUpperCase()} ON ${quoteIdentifier(trigger.child)} BEGIN SELECT RAISE(IGNORE); END;`,
    ),
    `DROP TABLE ${table};`,
    ...keepTriggers.map((trigger) => `DROP TRIGGER ${quoteIdentifier(trigger.name)};`),
    withSemicolon(rebuild.createTable),
    ...rebuild.indexes.map(withSemicolon),
    `INSERT INTO ${table} (${targets.join(', ')}) SELECT ${sources.join(', ')} FROM ${backup};`,
    ...assertion(
      rebuildNames.lostRowsConstraint(rebuild.table),
      `(SELECT count(*) FROM ${table}) = (SELECT count(*) FROM ${backup})`,
    ),
    `DROP TABLE ${backup};`,
    ...(rebuild.autoincrement
      ? [
          `UPDATE "sqlite_sequence" SET "seq" = max("seq", (SELECT "seq" FROM ${sequence})) WHERE "name" = ${name} AND EXISTS (SELECT 1 FROM ${sequence});`,
          `INSERT INTO "sqlite_sequence" ("name", "seq") SELECT ${name}, "seq" FROM ${sequence} WHERE NOT EXISTS (SELECT 1 FROM "sqlite_sequence" WHERE "name" = ${name});`,
          `DROP TABLE ${sequence};`,
        ]
      : []),
    ...rebuild.triggers.map(withSemicolon),
  ]
}

/**
 * Fails the batch, with the table's name in the error, when any row of the table or of a table referencing it
 * has a foreign key pointing at no row. Goes at the end of the migration: a later statement of the same
 * migration may still add the parent rows a rebuild's intermediate state lacks.
 */
export function renderForeignKeyAssertion(table: string): string[] {
  const name = quoteString(table)
  return assertion(
    rebuildNames.orphansConstraint(table),
    `NOT EXISTS (SELECT 1 FROM pragma_foreign_key_check WHERE "table" = ${name} OR "parent" = ${name})`,
  )
}

/** What a failed assertion of a rebuild says in D1's error message, or null for any other error. */
export function failedRebuildAssertion(message: string): { kind: 'orphans' | 'lost_rows'; table: string } | null {
  const match = /CHECK constraint failed: ash_sqlite_rebuild_(orphans|rows)__([^\s:]+)/.exec(message)
  if (match === null) return null
  return { kind: match[1] === 'orphans' ? 'orphans' : 'lost_rows', table: match[2] as string }
}

/**
 * An assertion D1 can run inside a batch (no RAISE outside triggers, no BEGIN): a throwaway table whose named
 * CHECK constraint fails when `condition` is false, so the error names what failed.
 */
function assertion(constraint: string, condition: string): string[] {
  const check = quoteIdentifier(rebuildNames.check)
  return [
    `CREATE TABLE ${check} ("ok" INTEGER NOT NULL, CONSTRAINT ${quoteIdentifier(constraint)} CHECK ("ok"));`,
    `INSERT INTO ${check} ("ok") SELECT ${condition};`,
    `DROP TABLE ${check};`,
  ]
}

interface KeepTrigger {
  readonly name: string
  readonly child: string
  readonly event: 'delete' | 'update'
}

/** One temporary trigger per child table and event, in a stable order. */
function keepTriggersOf(rebuild: D1TableRebuild): KeepTrigger[] {
  const triggers = new Map<string, KeepTrigger>()
  for (const child of rebuild.children) {
    if (child.table === rebuild.table) continue
    const event = child.onDelete === 'CASCADE' ? 'delete' : 'update'
    const name = rebuildNames.keepTrigger(rebuild.table, child.table, event)
    triggers.set(name, { name, child: child.table, event })
  }
  return [...triggers.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

function withSemicolon(statement: string): string {
  const trimmed = statement.trim()
  return trimmed.endsWith(';') ? trimmed : `${trimmed};`
}
