import { PassThrough } from 'node:stream'
import type { CliIo } from '../cli/output.js'

export interface CapturedIo extends CliIo {
  /** Everything written to stdout so far. */
  readonly out: () => string
  /** Everything written to stderr so far. */
  readonly err: () => string
}

/** In-memory streams for running `runCli` in process: not terminals, no colours, no CI variable. */
export function captureIo(options: { tty?: boolean; env?: NodeJS.ProcessEnv } = {}): CapturedIo {
  let out = ''
  let err = ''
  const stdin = Object.assign(new PassThrough(), { isTTY: options.tty === true })
  return {
    stdout: { write: (chunk: string) => (out += chunk), isTTY: options.tty === true },
    stderr: { write: (chunk: string) => (err += chunk), isTTY: options.tty === true },
    stdin,
    env: options.env ?? {},
    out: () => out,
    err: () => err,
  }
}
