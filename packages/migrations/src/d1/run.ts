/**
 * `migrate`, `rollback` and `status` over one D1 binding, from migration folders already in memory (the
 * bundled module in a Worker, the folders read from disk in Node). Shared by the Worker entry (index.ts) and
 * the Node side (node.ts). Pure.
 */
import type { MigrationFolder } from '../migrator/migration-text.js'
import { type StrategySpec, strategyFor } from '../migrator/strategy.js'
import type { MigrationRunResult, MigratorEvent, StatusRunResult } from '../migrator/types.js'
import { type D1Target, runOnD1, statusOfD1 } from './apply.js'

export interface D1RunInput {
  readonly target: D1Target
  readonly folders: readonly MigrationFolder[]
  /** Where the folders live, for messages about missing ones. */
  readonly migrationsDir: string
  readonly onEvent?: ((event: MigratorEvent) => void) | undefined
}

export async function runD1(input: D1RunInput, spec: StrategySpec): Promise<MigrationRunResult> {
  const strategy = strategyFor(spec)
  const planner = strategy.plannerFor({ name: input.target.repo, migrationsDir: input.migrationsDir }, input.folders)
  const emit = input.onEvent ?? (() => {})
  const identity = { repo: input.target.repo, database: input.target.database }
  emit({
    type: 'database_started',
    ...identity,
    url: input.target.url,
    direction: strategy.direction,
    databaseIndex: 0,
    total: 1,
  })
  const result = await runOnD1(input.target, input.folders, strategy, planner, emit)
  const failed = result.error === undefined ? 0 : 1
  emit({ type: 'database_finished', ...identity, result, databaseIndex: 0, done: 1, total: 1, failed })
  return { ok: result.error === undefined, direction: strategy.direction, dryRun: strategy.dryRun, databases: [result] }
}

export async function statusD1(input: Omit<D1RunInput, 'onEvent'>): Promise<StatusRunResult> {
  const database = await statusOfD1(input.target, input.folders)
  return { ok: database.error === undefined, databases: [database], conflicts: [] }
}
