import type { DrizzleKit } from './drizzle-kit.js'
import type { TableLookup } from './drizzle-schema.js'
import { createdTable, REBUILD_PREFIX, withStrictOption } from './sql-text.js'
import type { TablePair, Tables } from './table-pairs.js'
import { rebuildTable } from './table-rebuild.js'

/**
 * drizzle-kit knows nothing of STRICT tables. Every table it creates, including the new table of a rebuild,
 * gets the option here when the target state asks for it.
 */
export function appendStrictOption(statements: readonly string[], to: Tables): string[] {
  return statements.map((statement) => {
    const name = createdTable(statement)
    if (name === null) return statement
    const table =
      name.startsWith(REBUILD_PREFIX) && to.has(name.slice(REBUILD_PREFIX.length))
        ? name.slice(REBUILD_PREFIX.length)
        : name
    return to.get(table)?.strict === true ? withStrictOption(statement) : statement
  })
}

/** The tables drizzle-kit rebuilds (by their final names). */
export function rebuiltTables(statements: readonly string[]): Set<string> {
  const rebuilt = new Set<string>()
  for (const statement of statements) {
    const name = createdTable(statement)
    if (name?.startsWith(REBUILD_PREFIX)) rebuilt.add(name.slice(REBUILD_PREFIX.length))
  }
  return rebuilt
}

/**
 * Turning STRICT on or off needs a rebuild, which drizzle-kit cannot see. It runs after drizzle-kit's
 * statements, so the table already has its target columns and name, and it uses drizzle-kit's own DDL for
 * the table (create the table from nothing) so the result matches what drizzle-kit would write.
 */
export async function strictToggleRebuilds(
  kit: DrizzleKit,
  pairs: readonly TablePair[],
  alreadyRebuilt: ReadonlySet<string>,
  lookup: TableLookup,
): Promise<{ statements: string[]; rebuilt: string[] }> {
  const statements: string[] = []
  const rebuilt: string[] = []
  for (const { from, to } of pairs) {
    if (from === undefined || to === undefined || from.strict === to.strict || alreadyRebuilt.has(to.table)) continue
    const copied = to.columns.filter((column) => column.generated === null).map((column) => column.source)
    statements.push(...(await rebuildTable(kit, to, lookup, copied)))
    rebuilt.push(to.table)
  }
  return { statements, rebuilt }
}
