import { recreateChangedIndexes } from './changed-indexes.js'
import { guardCheckConstraints } from './check-constraint-guards.js'
import { customStatementSteps } from './custom-statements.js'
import { drizzleDiff } from './drizzle-diff.js'
import type { DrizzleKit, DrizzleSnapshot, MissingHint } from './drizzle-kit.js'
import type { TableLookup } from './drizzle-schema.js'
import { hintsFor } from './hints.js'
import { backfillNotNullColumns } from './not-null-backfill.js'
import type { RenamePlan } from './rename-plan.js'
import { appendStrictOption, rebuiltTables, strictToggleRebuilds } from './strict-tables.js'
import { pairTables, type Tables } from './table-pairs.js'
import { rebuildInsteadOfUnaddableColumns } from './unaddable-columns.js'

/**
 * One direction of a migration: the diffed tables on both sides (with drizzle-kit's snapshots of them, built
 * once for both directions), and every table of each side for lookups.
 */
export interface DirectionInput {
  readonly from: Tables
  readonly to: Tables
  readonly fromSnapshot: DrizzleSnapshot
  readonly toSnapshot: DrizzleSnapshot
  readonly fromLookup: TableLookup
  readonly toLookup: TableLookup
  readonly plan: RenamePlan
}

export interface DirectionStatements {
  readonly statements: string[]
  readonly confirmed: MissingHint[]
}

/**
 * The statements that take the database from `from` to `to`: the up migration with the previous and current
 * states, the down migration with the sides swapped and the plan inverted.
 *
 * Order: custom statements' `down`s, drizzle-kit's DDL (with STRICT and NOT NULL backfills patched in,
 * rebuilds instead of the columns SQLite cannot add to a table with rows, and a guard before each rebuild copy
 * that brings a new CHECK), our own STRICT rebuilds, custom
 * statements' `up`s; indexes that changed under the same name are dropped before the DDL and created after it.
 */
export async function directionStatements(kit: DrizzleKit, input: DirectionInput): Promise<DirectionStatements> {
  const diff = await drizzleDiff(kit, input.fromSnapshot, input.toSnapshot, hintsFor(input.from, input.to, input.plan))
  const pairs = pairTables(input.from, input.to, input.plan)
  const patched = backfillNotNullColumns(appendStrictOption(diff.statements, input.to), pairs, input.plan)
  const ddl = guardCheckConstraints(
    await rebuildInsteadOfUnaddableColumns(kit, patched, pairs, input.plan, input.toLookup),
    pairs,
  )
  const rebuilt = rebuiltTables(ddl)
  const strict = await strictToggleRebuilds(kit, pairs, rebuilt, input.toLookup)
  for (const table of strict.rebuilt) rebuilt.add(table)
  const indexes = await recreateChangedIndexes(kit, pairs, input.plan, rebuilt, input.toLookup)
  const custom = customStatementSteps(pairs, rebuilt)
  return {
    statements: [...custom.before, ...indexes.drops, ...ddl, ...strict.statements, ...indexes.creates, ...custom.after],
    confirmed: diff.confirmed,
  }
}
