import type { TableRebuild } from './migration-plan.js'
import { literal, quote } from './sql-text.js'

/**
 * Turns a `TableRebuild` into statements for one kind of database. The plan decides what a rebuild keeps; a
 * renderer decides only how the target runs it. Register a renderer per target in `rebuildRenderers`.
 */
export interface RebuildRenderer {
  readonly target: string
  render(rebuild: TableRebuild): string[]
}

/** Prefix of the new table of a rebuild, as drizzle-kit names it. */
export const NEW_TABLE_PREFIX = '__new_'

/**
 * SQLite and libSQL (files, sqld): SQLite's documented 12-step rebuild, the way drizzle-kit writes it (create
 * the new table under a temporary name, copy, drop the old one, rename), with what drizzle-kit leaves out:
 *
 * - a guard that fails, naming them, when a view or trigger no resource declares mentions the table: the DROP
 *   would silently take triggers on the table with it and the RENAME fails on views reading it ("error in view
 *   ...: no such table"). Declared ones are dropped before the rebuild and re-created after by the plan.
 * - a guard per new or changed CHECK constraint before the copy: a row that breaks it fails the migration
 *   naming the constraint and the row's rowid.
 * - a row-count check between the copy and the drop: a rebuild that lost rows fails and rolls back.
 * - the AUTOINCREMENT high-water mark (sqlite_sequence) carried over, so ids are never reused.
 *
 * Foreign keys: the migrator turns them off before BEGIN (inside a transaction the PRAGMAs below are no-ops,
 * kept so the statements also run as drizzle-kit's do when applied one by one outside a transaction).
 *
 * Errors are raised with `json_extract` over a path built from the offending names: SQLite has no way to raise
 * an error with a computed message outside a trigger, and "bad JSON path: '<message>'" carries it verbatim.
 */
export const sqliteRebuildRenderer: RebuildRenderer = {
  target: 'sqlite',
  render(rebuild) {
    const table = rebuild.table
    const newTable = NEW_TABLE_PREFIX + table
    return [
      'PRAGMA foreign_keys=OFF;',
      undeclaredObjectsGuard(table, rebuild.declaredObjects),
      rebuild.createTable.replace(`CREATE TABLE ${quote(table)} (`, `CREATE TABLE ${quote(newTable)} (`),
      ...checkGuards(rebuild),
      copyStatement(rebuild, newTable),
      rowCountCheck(table, newTable),
      ...(rebuild.autoincrement ? sequenceCarryOver(table, newTable) : []),
      `DROP TABLE ${quote(table)};`,
      `ALTER TABLE ${quote(newTable)} RENAME TO ${quote(table)};`,
      'PRAGMA foreign_keys=ON;',
      ...rebuild.indexes,
    ]
  },
}

/** Renderers by target; a repo's dialect picks one. */
export const rebuildRenderers: Readonly<Record<string, RebuildRenderer>> = { sqlite: sqliteRebuildRenderer }

/** `INSERT INTO new(columns) SELECT sources FROM old`; with nothing to copy, the rows still are (by rowid). */
export function copyStatement(rebuild: TableRebuild, into: string, fromTable: string = rebuild.table): string {
  const targets: string[] = []
  const sources: string[] = []
  for (const fate of rebuild.columns) {
    if (fate.kind === 'copied') {
      targets.push(quote(fate.column))
      sources.push(quote(fate.from))
    } else if (fate.kind === 'backfilled') {
      targets.push(quote(fate.column))
      sources.push(`COALESCE(${quote(fate.from)}, ${fate.fallback})`)
    }
  }
  if (targets.length === 0) {
    return `INSERT INTO ${quote(into)}(rowid) SELECT rowid FROM ${quote(fromTable)};`
  }
  return `INSERT INTO ${quote(into)}(${targets.join(', ')}) SELECT ${sources.join(', ')} FROM ${quote(fromTable)};`
}

/** Fails (with a message naming them) when a view or trigger that no resource declares mentions `table`. */
export function undeclaredObjectsGuard(table: string, declared: readonly string[]): string {
  const name = table.toLowerCase()
  const excluded = declared.length === 0 ? '' : ` AND name NOT IN (${declared.map(literal).join(', ')})`
  const head = `ash-sqlite: rebuilding table ${table} would drop or break `
  const tail =
    ', which no resource declares. Declare it in the customStatements of a resource (or drop it), then migrate again'
  // No HAVING without GROUP BY: sqld's parser refuses it (SQLite itself accepts it since 3.39).
  return (
    `SELECT json_extract('{}', ${literal(head)} || names || ${literal(tail)}) FROM (` +
    "SELECT group_concat(type || ' ' || name, ', ') AS names FROM sqlite_master WHERE type IN ('view', 'trigger')" +
    excluded +
    ` AND (lower(tbl_name) = ${literal(name)} OR (' ' || lower(sql) || ' ') GLOB ${literal(`*[^a-z0-9_$]${name}[^a-z0-9_$]*`)})` +
    ') WHERE names IS NOT NULL;'
  )
}

/**
 * One statement per new or changed CHECK of the rebuild: it evaluates the check over the rows as the copy will
 * write them (copied and backfilled columns under their final names, added ones at their defaults) and fails,
 * naming the constraint, the table and the first breaking row's rowid. A CHECK is broken when its condition
 * is false; NULL passes, as in SQLite.
 */
export function checkGuards(rebuild: TableRebuild, fromTable: string = rebuild.table): string[] {
  if (rebuild.newChecks.length === 0) return []
  const columns = ['rowid AS "__ash_rowid"']
  for (const fate of rebuild.columns) {
    if (fate.kind === 'copied') columns.push(`${quote(fate.from)} AS ${quote(fate.column)}`)
    else if (fate.kind === 'backfilled')
      columns.push(`COALESCE(${quote(fate.from)}, ${fate.fallback}) AS ${quote(fate.column)}`)
    else if (fate.kind === 'added') columns.push(`${fate.default ?? 'NULL'} AS ${quote(fate.column)}`)
    // A generated column is not known before the copy: NULL lets a check over it pass here (the copy checks it).
    else if (fate.kind === 'computed') columns.push(`NULL AS ${quote(fate.column)}`)
  }
  const rows = `(SELECT ${columns.join(', ')} FROM ${quote(fromTable)})`
  return rebuild.newChecks.map((constraint) => {
    const message = `ash-sqlite: check constraint ${constraint.name} fails for the row of ${rebuild.table} with rowid `
    return `SELECT json_extract('{}', ${literal(message)} || "__ash_rowid") FROM ${rows} WHERE NOT (${constraint.check}) LIMIT 1;`
  })
}

/** Fails when the new table did not receive every row of the old one. */
export function rowCountCheck(table: string, newTable: string): string {
  return (
    `SELECT json_extract('{}', 'ash-sqlite: the rebuild of table ${table} copied ' || copied || ' of ' || original || ' rows; nothing was changed') ` +
    `FROM (SELECT (SELECT count(*) FROM ${quote(newTable)}) AS copied, (SELECT count(*) FROM ${quote(table)}) AS original) ` +
    'WHERE copied <> original;'
  )
}

/** The old table's sqlite_sequence value, kept (the copy alone leaves the new table at its highest id). */
export function sequenceCarryOver(table: string, newTable: string): string[] {
  const old = `(SELECT seq FROM sqlite_sequence WHERE name = ${literal(table)})`
  return [
    `UPDATE sqlite_sequence SET seq = max(seq, coalesce(${old}, 0)) WHERE name = ${literal(newTable)};`,
    `INSERT INTO sqlite_sequence (name, seq) SELECT ${literal(newTable)}, seq FROM sqlite_sequence WHERE name = ${literal(table)} AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ${literal(newTable)});`,
  ]
}
