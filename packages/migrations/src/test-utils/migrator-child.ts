import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { ResolvedConfig } from '../config/resolved-config.js'
import { packageDir } from './temp-project.js'

const script = fileURLToPath(new URL('../migrator/__fixtures__/run-migrator.mjs', import.meta.url))

/** What the child printed, parsed: errors arrive as `{ name, code, message }`. */
export interface MigratorChildOutput {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly events: any[]
  readonly result: any
  readonly stderr: string
}

export interface MigratorChild {
  readonly process: ChildProcess
  /** Resolves with the first event the predicate accepts (rejects if the child exits first). */
  waitForEvent(predicate: (event: any) => boolean): Promise<any>
  readonly done: Promise<MigratorChildOutput>
}

export interface MigratorChildInput {
  /** Fleet repos may carry `databases` as a plain array instead of a function. */
  readonly config: ResolvedConfig | Record<string, unknown>
  readonly options?: Record<string, unknown>
  /** Epoch ms at which the child starts its work (after loading), to line several children up. */
  readonly startAt?: number
}

/** Starts `run-migrator.mjs` (the migrator's TypeScript sources through jiti) in a child process. */
export function startMigratorChild(
  command: 'migrate' | 'rollback' | 'status',
  input: MigratorChildInput,
): MigratorChild {
  const child = spawn(process.execPath, [script, command, JSON.stringify(input)], {
    cwd: packageDir,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const events: any[] = []
  let result: any
  let stderr = ''
  let buffered = ''
  const waiters: Array<{ predicate: (event: any) => boolean; resolve: (event: any) => void }> = []
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk
    const lines = buffered.split('\n')
    buffered = lines.pop() ?? ''
    for (const line of lines.filter((text) => text.trim() !== '')) {
      const parsed = JSON.parse(line) as { event?: unknown; result?: unknown }
      if ('result' in parsed) result = parsed.result
      if ('event' in parsed) {
        events.push(parsed.event)
        for (const waiter of waiters.filter((candidate) => candidate.predicate(parsed.event))) {
          waiters.splice(waiters.indexOf(waiter), 1)
          waiter.resolve(parsed.event)
        }
      }
    }
  })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  const done = new Promise<MigratorChildOutput>((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code, signal) => resolve({ code, signal, events, result, stderr }))
  })
  return {
    process: child,
    done,
    waitForEvent: (predicate) =>
      new Promise((resolve, reject) => {
        const seen = events.find(predicate)
        if (seen !== undefined) return resolve(seen)
        waiters.push({ predicate, resolve })
        void done.then((output) =>
          reject(new Error(`child exited (code ${output.code}, signal ${output.signal}) first:\n${output.stderr}`)),
        )
      }),
  }
}
