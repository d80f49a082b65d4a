import { type ConfigInput, toResolvedConfig } from '../config/config-input.js'
import { runMigrations } from './runner.js'
import { strategyFor } from './strategy.js'
import type { MigrateOptions, MigrateRunResult } from './types.js'

/**
 * Applies pending migrations to every selected database, each in its own transaction, and returns what
 * happened as data. Never throws for a database's failure (that is in its result); throws a UsageError
 * (or UnknownVersionError) for bad options before touching any database.
 */
export async function migrate(config: ConfigInput, options: MigrateOptions = {}): Promise<MigrateRunResult> {
  const { step, to, dryRun, allowChanged } = options
  return runMigrations(
    toResolvedConfig(config),
    options,
    strategyFor({ command: 'migrate', step, to, dryRun, allowChanged }),
  )
}
