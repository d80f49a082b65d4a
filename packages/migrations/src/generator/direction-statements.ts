import { recreateChangedIndexes } from './changed-indexes.js'
import { classifyStatements, type DrizzleStatement, statementSql } from './classify-statements.js'
import { customStatementSteps, declaredObjectNames } from './custom-statements.js'
import { decideRebuilds } from './decide-tables.js'
import { drizzleDiff } from './drizzle-diff.js'
import type { DrizzleKit, DrizzleSnapshot, MissingHint } from './drizzle-kit.js'
import type { TableLookup } from './drizzle-schema.js'
import { hintsFor } from './hints.js'
import type { DirectionPlan, PlanStep, TablePlan, TableRebuild } from './migration-plan.js'
import { type RebuildRenderer, sqliteRebuildRenderer } from './rebuild-renderers.js'
import type { RenamePlan } from './rename-plan.js'
import { renderPlan } from './render-plan.js'
import { withStrictOption } from './sql-text.js'
import { pairTables, type TablePair, type Tables } from './table-pairs.js'
import { describeRebuild } from './table-rebuild.js'

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
  /** Every table of each side, unchanged ones too (default: `from` / `to`): custom statements span tables. */
  readonly fromAll?: Tables | undefined
  readonly toAll?: Tables | undefined
  readonly plan: RenamePlan
}

export interface DirectionStatements {
  readonly statements: string[]
  readonly confirmed: MissingHint[]
  readonly plan: DirectionPlan
}

/**
 * The statements that take the database from `from` to `to`: the up migration with the previous and current
 * states, the down migration with the sides swapped and the plan inverted. Plans the direction, then renders
 * it with the target's rebuild renderer.
 */
export async function directionStatements(
  kit: DrizzleKit,
  input: DirectionInput,
  renderer: RebuildRenderer = sqliteRebuildRenderer,
): Promise<DirectionStatements> {
  const { plan, confirmed } = await planDirection(kit, input)
  return { statements: renderPlan(plan, renderer), confirmed, plan }
}

/**
 * decide -> classify -> patch, for one direction:
 * 1. drizzle-kit diffs the changed tables; its SQL is classified once (classify-statements.ts);
 * 2. every changed table's fate is decided (decide-tables.ts): created, dropped, altered in place, or rebuilt
 *    for the listed reasons, each rebuild described as data (table-rebuild.ts);
 * 3. the steps, in order: custom statements' `down`s (removed, changed, or mentioning a rebuilt table),
 *    indexes changed under the same name dropped, drizzle-kit's DDL (STRICT added to created tables, its
 *    rebuilds replaced by the plan's, its ADD/DROP COLUMN and CREATE INDEX of rebuilt tables left out), the
 *    other rebuilds, the changed indexes created again, custom statements' `up`s.
 */
export async function planDirection(
  kit: DrizzleKit,
  input: DirectionInput,
): Promise<{ plan: DirectionPlan; confirmed: MissingHint[] }> {
  const diff = await drizzleDiff(kit, input.fromSnapshot, input.toSnapshot, hintsFor(input.from, input.to, input.plan))
  const statements = classifyStatements(diff.statements)
  const pairs = pairTables(input.from, input.to, input.plan)
  const reasons = decideRebuilds(pairs, input.plan, statements)

  const fromAll = input.fromAll ?? input.from
  const toAll = input.toAll ?? input.to
  const declaredObjects = reasons.size === 0 ? [] : declaredObjectNames([fromAll, toAll, input.from, input.to])
  const context = { kit, plan: input.plan, lookup: input.toLookup, statements, declaredObjects, toAll }
  const rebuilds = new Map<string, TableRebuild>()
  const rebuiltPairs: TablePair[] = []
  for (const pair of pairs) {
    const why = pair.to === undefined ? undefined : reasons.get(pair.to.table)
    if (why === undefined) continue
    rebuilds.set(pair.to!.table, await describeRebuild(context, pair, why))
    rebuiltPairs.push(pair)
  }

  const indexes = await recreateChangedIndexes(kit, pairs, input.plan, new Set(rebuilds.keys()), input.toLookup)
  const custom = customStatementSteps({
    pairs,
    fromAll,
    toAll,
    rebuilt: rebuiltPairs.map((pair) => ({ from: pair.from!.table, to: pair.to!.table })),
  })
  const ddl = patchedDrizzleSteps(statements, rebuilds, input.to)
  const steps: PlanStep[] = [
    ...custom.before,
    ...indexes.drops.map((sql): PlanStep => ({ kind: 'statement', sql, origin: 'changed-index' })),
    ...ddl,
    ...indexes.creates.map((sql): PlanStep => ({ kind: 'statement', sql, origin: 'changed-index' })),
    ...custom.after,
  ]
  return { plan: { tables: tablePlans(pairs, rebuilds), steps }, confirmed: diff.confirmed }
}

/**
 * drizzle-kit's statements with the plan's changes: a rebuild drizzle-kit wrote is replaced by the plan's
 * rebuild of that table (in its place); the other rebuilds follow drizzle-kit's statements (the old table has
 * its final name and column names by then). ADD/DROP COLUMN and CREATE INDEX on a rebuilt table are left out:
 * the new table has its final columns and the rebuild creates every index after the swap.
 */
function patchedDrizzleSteps(
  statements: readonly DrizzleStatement[],
  rebuilds: ReadonlyMap<string, TableRebuild>,
  to: Tables,
): PlanStep[] {
  const steps: PlanStep[] = []
  const placed = new Set<string>()
  for (const statement of statements) {
    if (statement.kind === 'rebuild') {
      steps.push({ kind: 'rebuild', rebuild: rebuilds.get(statement.table)! })
      placed.add(statement.table)
      continue
    }
    if (
      (statement.kind === 'add_column' || statement.kind === 'drop_column' || statement.kind === 'create_index') &&
      rebuilds.has(statement.table)
    ) {
      continue
    }
    for (const sql of statementSql(statement)) {
      const strict = statement.kind === 'create_table' && to.get(statement.table)?.strict === true
      steps.push({ kind: 'statement', sql: strict ? withStrictOption(sql) : sql, origin: 'drizzle-kit' })
    }
  }
  for (const [table, rebuild] of rebuilds) if (!placed.has(table)) steps.push({ kind: 'rebuild', rebuild })
  return steps
}

function tablePlans(pairs: readonly TablePair[], rebuilds: ReadonlyMap<string, TableRebuild>): TablePlan[] {
  return pairs.map(({ from, to }): TablePlan => {
    if (from === undefined) return { kind: 'created', table: to!.table }
    if (to === undefined) return { kind: 'dropped', table: from.table }
    const rebuild = rebuilds.get(to.table)
    return rebuild === undefined
      ? { kind: 'altered', table: to.table, from: from.table }
      : { kind: 'rebuilt', table: to.table, from: from.table, rebuild }
  })
}
