import type { ResolvedConfig } from '../config/resolved-config.js'
import { checkExclusive, checkStep, planRollback, resolveVersion } from './plan.js'
import { runMigrations, type Strategy } from './runner.js'
import type { RollbackOptions, RollbackRunResult } from './types.js'

/**
 * Rolls back applied migrations (default: the newest one) by running their down.sql, each in its own
 * transaction, and removes their tracking rows. A migration without a usable down.sql refuses the whole
 * rollback of that database before anything runs.
 */
export async function rollback(config: ResolvedConfig, options: RollbackOptions = {}): Promise<RollbackRunResult> {
  return runMigrations(config, options, rollbackStrategy(options))
}

function rollbackStrategy(options: RollbackOptions): Strategy {
  checkStep(options.step)
  checkExclusive({ step: options.step, to: options.to, all: options.all })
  return {
    direction: 'down',
    dryRun: options.dryRun ?? false,
    plannerFor: (repo, folders) => {
      const to = options.to === undefined ? undefined : resolveVersion(options.to, folders, repo.name)
      const planOptions = { step: options.step, to, all: options.all ?? false, migrationsDir: repo.migrationsDir }
      return (entries) => planRollback(entries, planOptions)
    },
  }
}
