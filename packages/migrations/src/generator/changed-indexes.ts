import type { TableState } from '@ash-sqlite/resource'
import type { DrizzleKit } from './drizzle-kit.js'
import type { TableLookup } from './drizzle-schema.js'
import { type RenamePlan, sourceColumnName } from './rename-plan.js'
import { quote } from './sql-text.js'
import type { TablePair } from './table-pairs.js'
import { indexStatements } from './table-rebuild.js'

interface IndexDefinition {
  /** Column names on the `from` side of the diff (renamed columns mapped back). */
  readonly columns: readonly string[]
  readonly unique: boolean
  readonly where: string | null
  /** Expression and descending keys, and NULL handling, as JSON (empty for plain column keys). */
  readonly shape: string
}

export interface IndexRecreation {
  /** Run before drizzle-kit's DDL: the old index may stand in the way of a column it drops. */
  readonly drops: string[]
  /** Run once the table has its final columns. */
  readonly creates: string[]
}

/**
 * drizzle-kit (1.0.0-rc.5) tells a table's indexes apart by name only: an identity or custom index that keeps
 * its name but changes its columns, its uniqueness or its WHERE gets no statement at all, and the database
 * keeps the old index. Each such index is dropped and created again here, with drizzle-kit's own CREATE INDEX.
 * Dropped first in any case (a DROP COLUMN before a rebuild fails on an index over the column); created only for
 * a table that is not rebuilt, as a rebuild creates every index of the table anew.
 */
export async function recreateChangedIndexes(
  kit: DrizzleKit,
  pairs: readonly TablePair[],
  plan: RenamePlan,
  rebuilt: ReadonlySet<string>,
  lookup: TableLookup,
): Promise<IndexRecreation> {
  const drops: string[] = []
  const creates: string[] = []
  for (const { from, to } of pairs) {
    if (from === undefined || to === undefined) continue
    const changed = changedIndexNames(from, to, plan)
    if (changed.length === 0) continue
    drops.push(...changed.map((name) => `DROP INDEX ${quote(name)};`))
    if (rebuilt.has(to.table)) continue
    const statements = await indexStatements(kit, to, lookup)
    creates.push(...statements.filter((statement) => changed.includes(indexNameOf(statement) ?? '')))
  }
  return { drops, creates }
}

/** Indexes on both sides under one name whose definitions differ, sorted. */
function changedIndexNames(from: TableState, to: TableState, plan: RenamePlan): string[] {
  const before = indexDefinitions(from, (column) => column)
  const after = indexDefinitions(to, (column) => sourceColumnName(plan, to.table, column))
  return [...after]
    .filter(([name, definition]) => {
      const previous = before.get(name)
      return previous !== undefined && !sameDefinition(previous, definition)
    })
    .map(([name]) => name)
    .sort()
}

function indexDefinitions(state: TableState, sourceName: (column: string) => string): Map<string, IndexDefinition> {
  const definitions = new Map<string, IndexDefinition>()
  for (const identity of state.identities) {
    definitions.set(identity.indexName, {
      columns: identity.columns.map(sourceName),
      unique: true,
      where: identity.where,
      shape: identity.nilsDistinct === false ? 'nils not distinct' : '',
    })
  }
  for (const index of state.customIndexes) {
    definitions.set(index.name, {
      columns: index.columns.map(sourceName),
      unique: index.unique,
      where: index.where,
      // Keys name columns too; a renamed column is followed in `columns`, and rewritten by SQLite in the index.
      shape: index.keys
        ? JSON.stringify(index.keys.map((key) => ('expression' in key ? key.expression : key.order)))
        : '',
    })
  }
  return definitions
}

function sameDefinition(left: IndexDefinition, right: IndexDefinition): boolean {
  return (
    left.unique === right.unique &&
    left.where === right.where &&
    left.shape === right.shape &&
    left.columns.length === right.columns.length &&
    left.columns.every((column, position) => column === right.columns[position])
  )
}

function indexNameOf(statement: string): string | null {
  return /^CREATE (?:UNIQUE )?INDEX `([^`]+)`/.exec(statement)?.[1] ?? null
}
