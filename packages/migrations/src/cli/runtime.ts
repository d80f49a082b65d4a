import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { ResolvedConfig } from '../config/resolved-config.js'
import { type CliIo, isInteractive, type Printer } from './output.js'

/** What a command gets besides its flags. */
export interface CliRuntime {
  readonly io: CliIo
  readonly printer: Printer
  /** A person can answer prompts (TTY on stdin and stdout, not CI). */
  readonly interactive: boolean
  /** Loads the config named by `--config`/`--cwd` (imported lazily: `--help` never pays for jiti). */
  loadConfig(): Promise<ResolvedConfig>
  /** Like loadConfig, but null when there is no config file at all (`pull` into a project without one). */
  loadConfigIfAny(): Promise<ResolvedConfig | null>
  /** The working directory (`--cwd` resolved). */
  readonly cwd: string
}

export interface GlobalFlags {
  config: string | undefined
  cwd: string | undefined
}

export function createRuntime(io: CliIo, printer: Printer, flags: GlobalFlags): CliRuntime {
  const cwd = flags.cwd === undefined ? process.cwd() : resolve(flags.cwd)
  const loadConfig = async () => {
    const { loadConfig } = await import('../config/load-config.js')
    return loadConfig({ cwd, configFile: flags.config })
  }
  return {
    io,
    printer,
    interactive: isInteractive(io),
    cwd,
    loadConfig,
    async loadConfigIfAny() {
      if (flags.config !== undefined) return loadConfig()
      const { CONFIG_FILE_NAMES } = await import('../config/load-config.js')
      return CONFIG_FILE_NAMES.some((name) => existsSync(join(cwd, name))) ? loadConfig() : null
    },
  }
}
