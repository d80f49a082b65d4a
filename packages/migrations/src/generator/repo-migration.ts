import type { TableState } from '@ash-sqlite/resource'
import { destructiveWarnings } from './destructive-warnings.js'
import { directionStatements } from './direction-statements.js'
import { drizzleSnapshot } from './drizzle-diff.js'
import type { DrizzleKit, DrizzleSnapshot } from './drizzle-kit.js'
import { keepDroppedColumns } from './kept-columns.js'
import type { DirectionPlan } from './migration-plan.js'
import { type RebuildRenderer, sqliteRebuildRenderer } from './rebuild-renderers.js'
import { invertRenamePlan, type RenamePlan } from './rename-plan.js'
import type { RepoChanges } from './repo-changes.js'
import { pairTables } from './table-pairs.js'
import type { DestructiveWarning } from './types.js'

export interface RepoMigration {
  readonly up: string[]
  readonly down: string[]
  readonly warnings: DestructiveWarning[]
  /** The decided plans the statements were rendered from (for tools that need the facts, not the SQL). */
  readonly plans: { readonly up: DirectionPlan; readonly down: DirectionPlan }
  /**
   * drizzle-kit's snapshot of the whole current schema (chained to `snapshotParentId`) when the diff already
   * built it, because every table changed (a first run): then snapshot.json needs no second build.
   */
  readonly wholeSchemaSnapshot: DrizzleSnapshot | null
}

/** Every table of the repo on each side of one direction of a migration. */
export interface DirectionSides {
  readonly from: ReadonlyMap<string, TableState>
  readonly to: ReadonlyMap<string, TableState>
}

export interface RepoMigrationOptions {
  readonly dontDropColumns: boolean
  /** `id` of the previous migration's snapshot.json. */
  readonly snapshotParentId?: string | undefined
  /**
   * How the repo's databases run a table rebuild (default: SQLite/libSQL). A function is called per direction
   * with every table on each side (a D1 rebuild needs the child tables: see src/d1).
   */
  readonly renderer?: RebuildRenderer | ((sides: DirectionSides) => RebuildRenderer) | undefined
}

/**
 * Up and down statements of one repo's migration. Only the changed tables are diffed (the facts note
 * measured identical SQL at a fraction of the cost); foreign keys to unchanged tables resolve by name.
 */
export async function planRepoMigration(
  kit: DrizzleKit,
  changes: RepoChanges,
  plan: RenamePlan,
  options: RepoMigrationOptions,
): Promise<RepoMigration> {
  const previous = changes.previous
  const current = options.dontDropColumns ? keepDroppedColumns(previous, changes.current, plan) : changes.current
  const previousLookup = (table: string) => changes.previousAll.get(table)
  const currentLookup = (table: string) => changes.currentAll.get(table)
  const previousSnapshot = await drizzleSnapshot(kit, previous.values(), previousLookup)
  const currentSnapshot = await drizzleSnapshot(kit, current.values(), currentLookup, options.snapshotParentId)
  const renderer = (sides: DirectionSides): RebuildRenderer =>
    typeof options.renderer === 'function' ? options.renderer(sides) : (options.renderer ?? sqliteRebuildRenderer)
  const up = await directionStatements(
    kit,
    {
      from: previous,
      to: current,
      fromSnapshot: previousSnapshot,
      toSnapshot: currentSnapshot,
      fromLookup: previousLookup,
      toLookup: currentLookup,
      fromAll: changes.previousAll,
      toAll: changes.currentAll,
      plan,
    },
    renderer({ from: changes.previousAll, to: changes.currentAll }),
  )
  const down = await directionStatements(
    kit,
    {
      from: current,
      to: previous,
      fromSnapshot: currentSnapshot,
      toSnapshot: previousSnapshot,
      fromLookup: currentLookup,
      toLookup: previousLookup,
      fromAll: changes.currentAll,
      toAll: changes.previousAll,
      plan: invertRenamePlan(plan),
    },
    renderer({ from: changes.currentAll, to: changes.previousAll }),
  )
  const warnings = destructiveWarnings(pairTables(previous, current, plan), plan, up.confirmed)
  const wholeSchema = current === changes.current && current.size === changes.currentAll.size
  return {
    up: up.statements,
    down: down.statements,
    warnings,
    plans: { up: up.plan, down: down.plan },
    wholeSchemaSnapshot: wholeSchema ? currentSnapshot : null,
  }
}
