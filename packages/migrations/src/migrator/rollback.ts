import type { ResolvedConfig } from '../config/resolved-config.js'
import { runMigrations } from './runner.js'
import { strategyFor } from './strategy.js'
import type { RollbackOptions, RollbackRunResult } from './types.js'

/**
 * Rolls back applied migrations (default: the newest one) by running their down.sql, each in its own
 * transaction, and removes their tracking rows. A migration without a usable down.sql refuses the whole
 * rollback of that database before anything runs.
 */
export async function rollback(config: ResolvedConfig, options: RollbackOptions = {}): Promise<RollbackRunResult> {
  const { step, to, all, dryRun } = options
  return runMigrations(config, options, strategyFor({ command: 'rollback', step, to, all, dryRun }))
}
