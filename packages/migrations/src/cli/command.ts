import type { CliArgs, CliArgsDef } from './args.js'
import type { CliRuntime } from './runtime.js'

/**
 * One `ash-sqlite` subcommand. `args` is a citty argument definition (also used to render `--help`);
 * `run` receives the parsed flags, prints through `cli.printer` and returns the exit code. It never
 * calls `process.exit`.
 */
export interface CliCommand<T extends CliArgsDef = CliArgsDef> {
  readonly meta: { readonly name: string; readonly description: string }
  readonly args: T
  run(args: CliArgs<T>, cli: CliRuntime): Promise<number>
}

/** Identity function that infers the flags' types for `run`. */
export function defineCliCommand<const T extends CliArgsDef>(command: CliCommand<T>): CliCommand<T> {
  return command
}
