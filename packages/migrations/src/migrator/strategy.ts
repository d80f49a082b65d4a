/**
 * What a run does to each database, as data: `migrate` or `rollback` with their planning options. A
 * strategy is built from this description, so a worker thread can rebuild the very same strategy from
 * the copy it receives (functions cannot cross threads).
 */
import type { ResolvedRepo } from '../config/resolved-config.js'
import { type MigrationDirection, RollbackPlanChangedError } from './errors.js'
import type { MigrationFolder } from './migration-files.js'
import type { MigrationEntry } from './migration-state.js'
import {
  checkExclusive,
  checkStep,
  type Plan,
  type PlannedMigration,
  planMigrate,
  planRollback,
  resolveVersion,
} from './plan.js'

export type StrategySpec =
  | {
      readonly command: 'migrate'
      readonly step?: number | undefined
      readonly to?: string | undefined
      readonly dryRun?: boolean | undefined
      readonly allowChanged?: boolean | undefined
    }
  | {
      readonly command: 'rollback'
      readonly step?: number | undefined
      readonly to?: string | undefined
      readonly all?: boolean | undefined
      readonly dryRun?: boolean | undefined
    }

/** Turns the state of one database into a plan. Throwing an AshSqliteError fails that database only. */
export type Planner = (entries: readonly MigrationEntry[]) => Plan

/** The repo fields a planner needs (a worker thread has no more than these). */
export type PlannedRepo = Pick<ResolvedRepo, 'name' | 'migrationsDir'>

/** What the tracking table says under the write lock: the names recorded, and the newest of them by name. */
export interface AppliedNow {
  readonly names: ReadonlySet<string>
  readonly newest: string | undefined
}

/** Right before a planned step runs, under the write lock: run it, skip it (another process did it), or refuse. */
export type Confirmation = 'run' | 'skip' | RollbackPlanChangedError

export interface Strategy {
  readonly spec: StrategySpec
  readonly direction: MigrationDirection
  readonly dryRun: boolean
  /**
   * Called once per selected repo, before any database is opened, so bad options (an unknown `--to`)
   * fail the whole run up front.
   */
  plannerFor(repo: PlannedRepo, folders: readonly MigrationFolder[]): Planner
  /**
   * Plan from a read before the write lock (and confirm each step under it), instead of planning under the
   * lock. rollback does: what it undoes must be what was newest when the user asked.
   */
  readonly planBeforeLock: boolean
  confirm(step: PlannedMigration, applied: AppliedNow): Confirmation
}

/** Checks the options (UsageError for bad ones) and builds the strategy. */
export function strategyFor(spec: StrategySpec): Strategy {
  checkStep(spec.step)
  const dryRun = spec.dryRun ?? false
  if (spec.command === 'migrate') {
    checkExclusive({ step: spec.step, to: spec.to })
    const allowChanged = spec.allowChanged ?? false
    return {
      spec,
      direction: 'up',
      dryRun,
      planBeforeLock: false,
      confirm: (step, applied) => (applied.names.has(step.folder.name) ? 'skip' : 'run'),
      plannerFor: (repo, folders) => {
        const to = spec.to === undefined ? undefined : resolveVersion(spec.to, folders, repo.name)
        return (entries) => planMigrate(entries, { step: spec.step, to, allowChanged })
      },
    }
  }
  checkExclusive({ step: spec.step, to: spec.to, all: spec.all })
  return {
    spec,
    direction: 'down',
    dryRun,
    planBeforeLock: true,
    confirm: (step, applied) => {
      const name = step.folder.name
      if (!applied.names.has(name)) return 'skip'
      return applied.newest === name ? 'run' : new RollbackPlanChangedError(name, applied.newest)
    },
    plannerFor: (repo, folders) => {
      const to = spec.to === undefined ? undefined : resolveVersion(spec.to, folders, repo.name)
      const options = { step: spec.step, to, all: spec.all ?? false, migrationsDir: repo.migrationsDir }
      return (entries) => planRollback(entries, options)
    },
  }
}
