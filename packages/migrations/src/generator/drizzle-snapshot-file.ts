import type { TableState } from '@ash-sqlite/resource'
import { DDL_KIND_ORDER, type DdlEntry, drizzleSnapshot, inDrizzleOrder, tableOfEntry } from './drizzle-diff.js'
import type { DrizzleKit, DrizzleSnapshot } from './drizzle-kit.js'
import type { RepoChanges } from './repo-changes.js'

/**
 * drizzle-kit's snapshot.json of the whole schema after a migration. drizzle-kit builds it from every table,
 * which at 1000 tables costs most of a one-table change (its schema-to-DDL step has a quadratic lookup). The
 * previous folder's snapshot.json already holds every unchanged table, so it is reused: the changed tables'
 * entries are replaced by a snapshot of just those tables. The result has the same entries as a whole-schema
 * build, in drizzle-kit's order (entity kinds in its DDL order, tables in schema order). drizzle-kit's
 * snapshots are only ever read back as sets of entities, so the order is about identical files, not meaning.
 *
 * The previous file is only reused when it is a version-7 SQLite snapshot of exactly the tables the resource
 * snapshots say exist; anything else (a hand-edited or foreign file, a folder removed by `regen`) gets the
 * whole-schema build, as before.
 */
export async function nextDrizzleSnapshot(
  kit: DrizzleKit,
  change: RepoChanges,
  previous: unknown,
  previousId: string | undefined,
): Promise<DrizzleSnapshot> {
  const lookup = (table: string) => change.currentAll.get(table)
  const reusable = reusableEntries(previous, change)
  if (reusable === undefined) return drizzleSnapshot(kit, change.currentAll.values(), lookup, previousId)

  const changed = new Set(change.changedTables)
  const changedStates: TableState[] = []
  for (const [table, state] of change.currentAll) if (changed.has(table)) changedStates.push(state)
  const partial = await drizzleSnapshot(kit, changedStates, lookup, previousId)
  const kept = reusable.filter((entry) => !changed.has(tableOfEntry(entry)))
  return {
    ...partial,
    ddl: inDrizzleOrder(
      [...kept, ...(partial.ddl as DdlEntry[])],
      [...change.currentAll.keys()],
    ) as DrizzleSnapshot['ddl'],
  }
}

function reusableEntries(previous: unknown, change: RepoChanges): DdlEntry[] | undefined {
  if (typeof previous !== 'object' || previous === null) return undefined
  const snapshot = previous as { version?: unknown; dialect?: unknown; ddl?: unknown }
  if (snapshot.version !== '7' || snapshot.dialect !== 'sqlite' || !Array.isArray(snapshot.ddl)) return undefined
  const entries = snapshot.ddl as unknown[]
  if (!entries.every(isKnownEntry)) return undefined
  const tables = new Set(entries.filter((entry) => entry.entityType === 'tables').map(tableOfEntry))
  if (tables.size !== change.previousAll.size) return undefined
  for (const table of change.previousAll.keys()) if (!tables.has(table)) return undefined
  return entries
}

function isKnownEntry(entry: unknown): entry is DdlEntry {
  if (typeof entry !== 'object' || entry === null) return false
  const { entityType, table, name } = entry as { entityType?: unknown; table?: unknown; name?: unknown }
  if (typeof entityType !== 'string' || !DDL_KIND_ORDER.includes(entityType)) return false
  // The generator never makes drizzle-kit views or unique constraints: a snapshot with one was not written by it.
  if (entityType === 'views' || entityType === 'uniques') return false
  return entityType === 'tables' ? typeof name === 'string' : typeof table === 'string'
}
