import type { AshSqliteConfig } from './define-config.js'
import { resolveConfig } from './resolve-config.js'
import type { ResolvedConfig } from './resolved-config.js'

/**
 * What the programmatic API accepts: the result of `loadConfig()`, or the `defineConfig({...})` object itself
 * (DESIGN section 8: production code may skip the config file). A plain object is resolved against
 * `process.cwd()`, exactly as the CLI would resolve the same config file there.
 */
export type ConfigInput = ResolvedConfig | AshSqliteConfig

export function toResolvedConfig(config: ConfigInput): ResolvedConfig {
  return isResolvedConfig(config) ? config : resolveConfig(config)
}

function isResolvedConfig(config: ConfigInput): config is ResolvedConfig {
  return 'repos' in config && Array.isArray(config.repos) && typeof (config as ResolvedConfig).cwd === 'string'
}
