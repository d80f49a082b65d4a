import picocolors from 'picocolors'

export type Colors = ReturnType<typeof picocolors.createColors>

interface OutputStream {
  write(chunk: string): unknown
  isTTY?: boolean | undefined
}

/** The process streams and environment the CLI talks to; tests pass their own. */
export interface CliIo {
  stdout: OutputStream
  stderr: OutputStream
  stdin: NodeJS.ReadableStream & { isTTY?: boolean | undefined }
  env: NodeJS.ProcessEnv
}

/**
 * Everything the commands print goes through here. In `--json` mode the human-readable output and the
 * progress are dropped and `json()` prints the only thing stdout receives; errors still go to stderr.
 */
export interface Printer {
  readonly json: boolean
  readonly colors: Colors
  /** A line of the human-readable report (stdout). */
  line(text?: string): void
  /** A warning the user should read (stdout, yellow). */
  warn(text: string): void
  /** An error (stderr, red). Printed in `--json` mode too. */
  error(text: string): void
  /** Replaces the current progress line (stderr, only on a TTY). */
  progress(text: string): void
  /** Clears the progress line, if any. */
  endProgress(): void
  /** Prints the machine-readable document (`--json` mode only). */
  printJson(value: unknown): void
}

export function createPrinter(io: CliIo, options: { json: boolean }): Printer {
  const colors = picocolors.createColors(!options.json && useColors(io))
  const showProgress = !options.json && io.stderr.isTTY === true
  let progressShown = false
  const clearProgress = (): void => {
    if (!progressShown) return
    io.stderr.write('\r\u001B[2K')
    progressShown = false
  }
  const human = (stream: OutputStream, text: string): void => {
    if (options.json) return
    clearProgress()
    stream.write(`${text}\n`)
  }
  return {
    json: options.json,
    colors,
    line: (text = '') => human(io.stdout, text),
    warn: (text) => human(io.stdout, colors.yellow(`warning: ${text}`)),
    error: (text) => {
      clearProgress()
      io.stderr.write(`${colors.red(text)}\n`)
    },
    progress: (text) => {
      if (!showProgress) return
      io.stderr.write(`\r\u001B[2K${text}`)
      progressShown = true
    },
    endProgress: clearProgress,
    printJson: (value) => {
      if (options.json) io.stdout.write(`${JSON.stringify(value, null, 2)}\n`)
    },
  }
}

/** Colours on a terminal only, and never when NO_COLOR is set (https://no-color.org). */
export function useColors(io: Pick<CliIo, 'stdout' | 'env'>): boolean {
  const noColor = io.env.NO_COLOR
  return io.stdout.isTTY === true && (noColor === undefined || noColor === '')
}

/** Prompts only when a person can answer: stdin and stdout are terminals and this is not a CI run. */
export function isInteractive(io: Pick<CliIo, 'stdin' | 'stdout' | 'env'>): boolean {
  const ci = io.env.CI
  const inCi = ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false'
  return io.stdin.isTTY === true && io.stdout.isTTY === true && !inCi
}
