import type { ResolvedConfig } from '../config/resolved-config.js'
import { compareNames, rollback } from '../migrator/index.js'
import type { DatabaseStatus, MigratorEvent, RollbackOptions, RollbackRunResult } from '../migrator/types.js'
import type { DatabaseRollbackPlan } from './types.js'

const APPLIED_STATES = new Set(['applied', 'changed', 'missing'])

export interface RollbackUntrackedOptions {
  readonly concurrency?: number | undefined
  readonly onEvent?: ((event: MigratorEvent) => void) | undefined
}

/**
 * Runs the planned rollbacks through the migrator. A repo whose databases all roll back to the same target
 * (the usual case, fleets included) takes one `rollback` run over the whole repo; otherwise each database
 * gets its own run with its own target, so no database loses a migration it was not planned to lose.
 * Every run is attempted; the merged result says which databases failed.
 */
export async function rollBackUntracked(
  config: ResolvedConfig,
  plans: readonly DatabaseRollbackPlan[],
  statuses: readonly DatabaseStatus[],
  options: RollbackUntrackedOptions,
): Promise<RollbackRunResult> {
  const databases: RollbackRunResult['databases'][number][] = []
  for (const run of rollbackRuns(plans, statuses)) {
    const result = await rollback(config, { ...run, concurrency: options.concurrency, onEvent: options.onEvent })
    databases.push(...result.databases)
  }
  return {
    ok: databases.every((database) => database.error === undefined),
    direction: 'down',
    dryRun: false,
    databases,
  }
}

function rollbackRuns(plans: readonly DatabaseRollbackPlan[], statuses: readonly DatabaseStatus[]): RollbackOptions[] {
  const runs: RollbackOptions[] = []
  for (const repo of [...new Set(plans.map((plan) => plan.repo))]) {
    const repoPlans = plans.filter((plan) => plan.repo === repo)
    const targets = new Set(repoPlans.map((plan) => plan.to))
    const [to] = targets
    const planned = new Set(repoPlans.map((plan) => plan.database))
    const others = statuses.filter((status) => status.repo === repo && !planned.has(status.database))
    // One run over the whole repo only when it cannot touch a database that was not planned: none of the
    // others has something newer applied, and none is missing (rollback refuses a database that does not exist).
    const wholeRepo = others.every((status) => status.exists !== false && !hasAppliedAfter(status, to ?? null))
    if (to !== undefined && targets.size === 1 && wholeRepo) {
      runs.push({ repo: [repo], ...target(to) })
      continue
    }
    for (const plan of repoPlans) runs.push({ repo: [repo], database: plan.database, ...target(plan.to) })
  }
  return runs
}

function target(to: string | null): Pick<RollbackOptions, 'to' | 'all'> {
  return to === null ? { all: true } : { to }
}

function hasAppliedAfter(status: DatabaseStatus, to: string | null): boolean {
  return status.migrations.some(
    (entry) => APPLIED_STATES.has(entry.state) && (to === null || compareNames(entry.name, to) > 0),
  )
}
