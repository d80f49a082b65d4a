import { resolve } from 'node:path'
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
}

export interface GlobalFlags {
  config: string | undefined
  cwd: string | undefined
}

export function createRuntime(io: CliIo, printer: Printer, flags: GlobalFlags): CliRuntime {
  return {
    io,
    printer,
    interactive: isInteractive(io),
    async loadConfig() {
      const { loadConfig } = await import('../config/load-config.js')
      const cwd = flags.cwd === undefined ? process.cwd() : resolve(flags.cwd)
      return loadConfig({ cwd, configFile: flags.config })
    },
  }
}
