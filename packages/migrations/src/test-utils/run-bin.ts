import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { packageDir } from './temp-project.js'

/** The built CLI (`bin/ash-sqlite.js` imports `dist/cli/main.js`). */
export const binPath: string = join(packageDir, 'bin', 'ash-sqlite.js')

export interface BinRun {
  code: number | null
  stdout: string
  stderr: string
}

/** The environment of a child CLI: never a CI run, no colour preference inherited from the test runner. */
export function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const { CI: _ci, NO_COLOR: _noColor, FORCE_COLOR: _forceColor, ...env } = process.env
  return { ...env, ...extra }
}

/** Runs `node bin/ash-sqlite.js ...args` with pipes (not a terminal) and collects its output. */
export function runBin(
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; nodeArgs?: readonly string[] },
): Promise<BinRun> {
  return collect(
    spawn(process.execPath, [...(options.nodeArgs ?? []), binPath, ...args], {
      cwd: options.cwd,
      env: childEnv(options.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  )
}

/**
 * Runs the CLI in a real pseudo-terminal (util-linux `script`), so stdin and stdout are TTYs. `answer` sees
 * the output so far each time it grows and returns the keystrokes to type once (or undefined to wait).
 * The terminal gets a size first: a pty created without one is 0 columns wide, which breaks prompts.
 */
export function runBinInTerminal(
  args: readonly string[],
  options: { cwd: string; answers: readonly { when: string; keys: readonly string[] }[] },
): Promise<BinRun> {
  const command = ['stty cols 120 rows 40;', 'exec', ...[process.execPath, binPath, ...args].map(shellQuote)].join(' ')
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    cwd: options.cwd,
    env: childEnv(),
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  // A prompt that never appears must fail the test, not hang it.
  setTimeout(() => child.kill(), 30_000).unref()
  const pending = [...options.answers]
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString()
    const next = pending[0]
    if (next === undefined || !output.includes(next.when)) return
    pending.shift()
    output = ''
    void typeKeys(child.stdin, next.keys)
  })
  return collect(child)
}

async function typeKeys(stdin: NodeJS.WritableStream, keys: readonly string[]): Promise<void> {
  // One key at a time, as a person types: the prompt reads keypresses, not lines.
  for (const key of keys) {
    await new Promise((resolve) => setTimeout(resolve, 100))
    stdin.write(key)
  }
}

function collect(child: ReturnType<typeof spawn>): Promise<BinRun> {
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString()
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

function shellQuote(value: string): string {
  return `'${value.replaceAll("'", "'\\''")}'`
}

/** Terminal output without colour and cursor codes. */
export function plainText(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing terminal escape codes is the point.
  return text.replace(/\u001B\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '')
}
