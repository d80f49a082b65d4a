import type { ResolvedConfig } from '../config/resolved-config.js'
import { checkExclusive, checkStep, planMigrate, resolveVersion } from './plan.js'
import { runMigrations, type Strategy } from './runner.js'
import type { MigrateOptions, MigrateRunResult } from './types.js'

/**
 * Applies pending migrations to every selected database, each in its own transaction, and returns what
 * happened as data. Never throws for a database's failure (that is in its result); throws a UsageError
 * (or UnknownVersionError) for bad options before touching any database.
 */
export async function migrate(config: ResolvedConfig, options: MigrateOptions = {}): Promise<MigrateRunResult> {
  return runMigrations(config, options, migrateStrategy(options))
}

function migrateStrategy(options: MigrateOptions): Strategy {
  checkStep(options.step)
  checkExclusive({ step: options.step, to: options.to })
  const allowChanged = options.allowChanged ?? false
  return {
    direction: 'up',
    dryRun: options.dryRun ?? false,
    plannerFor: (repo, folders) => {
      const to = options.to === undefined ? undefined : resolveVersion(options.to, folders, repo.name)
      return (entries) => planMigrate(entries, { step: options.step, to, allowChanged })
    },
  }
}
