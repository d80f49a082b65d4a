import { type ConfigInput, toResolvedConfig } from '../config/config-input.js'
import { runMigrations } from './runner.js'
import { strategyFor } from './strategy.js'
import type { RollbackOptions, RollbackRunResult } from './types.js'

/**
 * Rolls back applied migrations (default: the newest one) by running their down.sql, each in its own
 * transaction, and removes their tracking rows. A migration without a usable down.sql refuses the whole
 * rollback of that database before anything runs.
 */
export async function rollback(config: ConfigInput, options: RollbackOptions = {}): Promise<RollbackRunResult> {
  const { step, to, all, dryRun } = options
  const spec = { command: 'rollback', step, to, all, dryRun } as const
  if (options.d1 !== undefined || options.local === true) {
    const { runD1Repo, d1SourceOf } = await import('../d1/node.js')
    return runD1Repo(toResolvedConfig(config), d1SourceOf(options), options, spec)
  }
  return runMigrations(toResolvedConfig(config), options, strategyFor(spec))
}
