import { spawn } from 'node:child_process'
import { packageDir } from './temp-project.js'

/**
 * Another process holding a lock on a SQLite file, as a long migration or rebuild of another deploy
 * replica does: `BEGIN EXCLUSIVE` (readers and writers wait) or `BEGIN IMMEDIATE` (writers wait), then
 * `sql` (may be empty), held for `holdMs`, then COMMIT.
 */
export interface LockHolder {
  /** Resolves once the lock is held (and `sql` ran). */
  readonly locked: Promise<void>
  /** Resolves when the holder committed and exited. */
  readonly done: Promise<{ code: number | null; stderr: string }>
}

const script = `
const { createClient } = await import('@libsql/client')
const [url, mode, holdMs, sql] = process.argv.slice(1)
const client = createClient({ url, concurrency: 1 })
const tx = await client.transaction('deferred')
await tx.executeMultiple('COMMIT; BEGIN ' + mode + (sql ? '; ' + sql : ''))
process.stdout.write('locked\\n')
await new Promise((resolve) => setTimeout(resolve, Number(holdMs)))
await tx.executeMultiple('COMMIT')
tx.close()
client.close()
`

export function holdLock(
  path: string,
  options: { mode: 'EXCLUSIVE' | 'IMMEDIATE'; holdMs: number; sql?: string },
): LockHolder {
  const child = spawn(
    process.execPath,
    ['--input-type=module', '-e', script, `file:${path}`, options.mode, String(options.holdMs), options.sql ?? ''],
    { cwd: packageDir, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  const done = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.once('close', (code) => resolve({ code, stderr })),
  )
  const locked = new Promise<void>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (chunk.includes('locked')) resolve()
    })
    void done.then(({ code }) => reject(new Error(`the lock holder exited (code ${code}) first:\n${stderr}`)))
  })
  return { locked, done }
}
