import type { CliArgs, CliArgsDef } from './args.js'
import type { CliRuntime } from './runtime.js'

/**
 * One `ash-sqlite` subcommand. `args` is a citty argument definition (also used to render `--help`);
 * `run` receives the parsed flags, prints through `cli.printer` and returns the exit code. It never
 * calls `process.exit`.
 */
export interface CliCommand<T extends CliArgsDef = CliArgsDef> {
  readonly meta: { readonly name: string; readonly description: string }
  /** Command lines shown under EXAMPLES in `--help`, each with what it does. */
  readonly examples: readonly Example[]
  readonly args: T
  run(args: CliArgs<T>, cli: CliRuntime): Promise<number>
}

export interface Example {
  /** The arguments after `ash-sqlite` (e.g. `migrate --repo main`). */
  readonly command: string
  readonly does: string
}

/** Identity function that infers the flags' types for `run`. */
export function defineCliCommand<const T extends CliArgsDef>(command: CliCommand<T>): CliCommand<T> {
  return command
}
