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
  const spec = { command: 'migrate', step, to, dryRun, allowChanged } as const
  if (options.d1 !== undefined || options.local === true) {
    const { runD1Repo, d1SourceOf } = await import('../d1/node.js')
    return runD1Repo(toResolvedConfig(config), d1SourceOf(options), options, spec)
  }
  return runMigrations(toResolvedConfig(config), options, strategyFor(spec))
}
