import type { TableState } from '@ash-sqlite/resource'
import { drizzleSnapshot } from './drizzle-diff.js'
import type { DrizzleKit } from './drizzle-kit.js'
import type { TableLookup } from './drizzle-schema.js'
import { quote, REBUILD_PREFIX, rebuildCopyStatement, withStrictOption } from './sql-text.js'

/**
 * A rebuild drizzle-kit did not write: the table as `table` describes it, created under a temporary name from
 * drizzle-kit's own DDL (so it matches what drizzle-kit would write), the `copied` columns copied over, the
 * old table swapped out, and its indexes created again. Runs after drizzle-kit's statements, when the old
 * table already has the `copied` columns under their target names.
 */
export async function rebuildTable(
  kit: DrizzleKit,
  table: TableState,
  lookup: TableLookup,
  copied: readonly string[],
): Promise<string[]> {
  const [createTable, ...indexes] = await createFromNothing(kit, table, lookup)
  const newName = REBUILD_PREFIX + table.table
  const createNew = createTable!.replace(`CREATE TABLE ${quote(table.table)} (`, `CREATE TABLE ${quote(newName)} (`)
  return [
    'PRAGMA foreign_keys=OFF;',
    table.strict ? withStrictOption(createNew) : createNew,
    rebuildCopyStatement(table.table, copied),
    `DROP TABLE ${quote(table.table)};`,
    `ALTER TABLE ${quote(newName)} RENAME TO ${quote(table.table)};`,
    'PRAGMA foreign_keys=ON;',
    ...indexes,
  ]
}

/** The CREATE INDEX statements drizzle-kit writes for the table's indexes. */
export async function indexStatements(kit: DrizzleKit, table: TableState, lookup: TableLookup): Promise<string[]> {
  const [, ...indexes] = await createFromNothing(kit, table, lookup)
  return indexes
}

async function createFromNothing(kit: DrizzleKit, table: TableState, lookup: TableLookup): Promise<string[]> {
  const empty = await drizzleSnapshot(kit, [], lookup)
  const single = await drizzleSnapshot(kit, [table], lookup)
  return kit.generateMigration(empty, single)
}
