import type { TableState } from '@ash-sqlite/resource'
import type { DrizzleStatement } from './classify-statements.js'
import { drizzleSnapshot } from './drizzle-diff.js'
import type { DrizzleKit } from './drizzle-kit.js'
import type { TableLookup } from './drizzle-schema.js'
import type { CheckConstraint, ColumnFate, RebuildReason, TableRebuild } from './migration-plan.js'
import { notNullFallback } from './not-null-backfill.js'
import type { RenamePlan } from './rename-plan.js'
import { withStrictOption } from './sql-text.js'
import { pairColumns, type TablePair, type Tables } from './table-pairs.js'

export interface RebuildContext {
  readonly kit: DrizzleKit
  readonly plan: RenamePlan
  readonly lookup: TableLookup
  /** drizzle-kit's statements of the direction: its column renames run before any rebuild. */
  readonly statements: readonly DrizzleStatement[]
  readonly declaredObjects: readonly string[]
  /** Every table after the direction (for the foreign keys that point at a rebuilt table). */
  readonly toAll: Tables
}

/**
 * Describes the rebuild of one table (`pair` on both sides), whoever asked for it. The new table is drizzle-kit's
 * own DDL for the final table (created from nothing, so it matches what drizzle-kit writes), STRICT added when
 * asked; every column's fate is decided from the two states, not read back from drizzle-kit's copy statement
 * (which leaves out columns that were generated, losing the values of a column that stops being generated).
 */
export async function describeRebuild(
  context: RebuildContext,
  pair: TablePair,
  reasons: readonly RebuildReason[],
): Promise<TableRebuild> {
  const from = pair.from!
  const to = pair.to!
  const [createTable, ...indexes] = await createFromNothing(context.kit, to, context.lookup)
  return {
    table: to.table,
    reasons,
    createTable: to.strict ? withStrictOption(createTable!) : createTable!,
    indexes,
    columns: columnFates(context, pair, from.table),
    autoincrement: to.columns.some((column) => column.autoincrement),
    referencedBy: [...context.toAll.values()].flatMap((state) =>
      state.columns.flatMap((column) =>
        column.references?.table === to.table
          ? [
              {
                table: state.table,
                column: column.source,
                onDelete: column.references.onDelete,
                onUpdate: column.references.onUpdate,
              },
            ]
          : [],
      ),
    ),
    declaredObjects: context.declaredObjects,
    newChecks: newChecks(from, to),
  }
}

/** Checks of `to` that `from` does not have with the same condition. */
function newChecks(from: TableState, to: TableState): CheckConstraint[] {
  const before = new Map((from.checkConstraints ?? []).map((constraint) => [constraint.name, constraint.check]))
  return (to.checkConstraints ?? [])
    .filter((constraint) => before.get(constraint.name) !== constraint.check)
    .map((constraint) => ({ name: constraint.name, check: constraint.check }))
}

function columnFates(context: RebuildContext, pair: TablePair, fromTable: string): ColumnFate[] {
  const table = pair.to!.table
  // The old table's columns have their new names by the time the rebuild runs when drizzle-kit renamed them.
  const renamed = new Set(
    context.statements.flatMap((statement) =>
      statement.kind === 'rename_column' && (statement.table === table || statement.table === fromTable)
        ? [statement.to]
        : [],
    ),
  )
  return pairColumns(pair, context.plan).map(({ from, to }): ColumnFate => {
    if (to === undefined) return { kind: 'dropped', from: from!.source }
    if (to.generated !== null)
      return { kind: 'computed', column: to.source, wasPlain: from !== undefined && from.generated === null }
    if (from === undefined) return { kind: 'added', column: to.source, default: to.default }
    const source = renamed.has(to.source) ? to.source : from.source
    const fallback = notNullFallback(from, to)
    return fallback === null
      ? { kind: 'copied', column: to.source, from: source }
      : { kind: 'backfilled', column: to.source, from: source, fallback }
  })
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
