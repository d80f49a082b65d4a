import { randomBytes } from 'node:crypto'
import { link, mkdir, open, readFile, rename, rmdir, stat, unlink } from 'node:fs/promises'
import { hostname } from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { errorCode } from './durable-fs.js'
import { SnapshotError } from './errors.js'
import { GENERATE_LOCK_FILE } from './layout.js'

export interface GenerateLockOptions {
  /** How long to wait for another run to finish before failing with `generate_locked`. Default 30 000 ms. */
  waitMs?: number | undefined
  /** How often to look at the lock while waiting. Default 100 ms. */
  pollMs?: number | undefined
}

/** Who holds the lock: the contents of the lock file. */
export interface LockHolder {
  pid: number
  hostname: string
  startedAt: string
  /** Tells this acquisition apart from any other, even of the same process. */
  token: string
}

// A lock file is created empty and filled right after; one still empty after this long lost its writer.
const UNWRITTEN_LOCK_GRACE_MS = 10_000

/**
 * Run `fn` while holding the project's generate lock (`<stagingDir>/generate.lock`, created exclusively and
 * holding the pid), so two generate runs never interleave. Waits up to `waitMs` for a live holder, then throws
 * `generate_locked`. A lock whose process is dead (same host) is taken over. Not reentrant.
 */
export async function withGenerateLock<T>(
  stagingDir: string,
  fn: () => Promise<T>,
  options: GenerateLockOptions = {},
): Promise<T> {
  const dir = path.resolve(stagingDir)
  const lockFile = path.join(dir, GENERATE_LOCK_FILE)
  const holder = await acquire(dir, lockFile, options)
  try {
    return await fn()
  } finally {
    await release(dir, lockFile, holder)
  }
}

async function acquire(dir: string, lockFile: string, options: GenerateLockOptions): Promise<LockHolder> {
  const deadline = Date.now() + (options.waitMs ?? 30_000)
  const me: LockHolder = {
    pid: process.pid,
    hostname: hostname(),
    startedAt: new Date().toISOString(),
    token: randomBytes(8).toString('hex'),
  }
  for (;;) {
    if (await tryCreate(dir, lockFile, me)) return me
    const current = await readLock(lockFile)
    if (current === undefined) continue // released meanwhile
    if (await isStale(lockFile, current.holder)) {
      await takeOverStale(lockFile, current.text)
      continue
    }
    if (Date.now() >= deadline) throw lockedError(lockFile, current.holder)
    await sleep(options.pollMs ?? 100)
  }
}

async function tryCreate(dir: string, lockFile: string, me: LockHolder): Promise<boolean> {
  await mkdir(dir, { recursive: true })
  let handle: Awaited<ReturnType<typeof open>>
  try {
    handle = await open(lockFile, 'wx')
  } catch (error) {
    const code = errorCode(error)
    // ENOENT: a releasing run removed the (empty) staging folder between our mkdir and open.
    if (code === 'EEXIST' || code === 'ENOENT') return false
    throw error
  }
  try {
    await handle.writeFile(JSON.stringify(me), 'utf8')
    await handle.sync()
  } finally {
    await handle.close()
  }
  return true
}

async function readLock(lockFile: string): Promise<{ text: string; holder: LockHolder | undefined } | undefined> {
  let text: string
  try {
    text = await readFile(lockFile, 'utf8')
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined
    throw error
  }
  return { text, holder: parseHolder(text) }
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockHolder> | null
    if (typeof value?.pid === 'number' && typeof value.hostname === 'string' && typeof value.token === 'string') {
      return { pid: value.pid, hostname: value.hostname, token: value.token, startedAt: String(value.startedAt) }
    }
  } catch {
    // Not written yet, or garbage: judged by its age below.
  }
  return undefined
}

async function isStale(lockFile: string, holder: LockHolder | undefined): Promise<boolean> {
  if (holder === undefined) {
    const modified = (await stat(lockFile).catch(() => undefined))?.mtimeMs
    return modified !== undefined && Date.now() - modified > UNWRITTEN_LOCK_GRACE_MS
  }
  // A pid on another machine (a shared network folder) cannot be checked: wait for it.
  return holder.hostname === hostname() && !isProcessAlive(holder.pid)
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return errorCode(error) !== 'ESRCH'
  }
}

/**
 * Remove a stale lock without removing a fresh one that another process created after we read the stale one:
 * move it aside, check it is the one we judged stale, and put it back if not.
 */
async function takeOverStale(lockFile: string, staleText: string): Promise<void> {
  const aside = `${lockFile}.stale-${process.pid}-${randomBytes(4).toString('hex')}`
  try {
    await rename(lockFile, aside)
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return // someone else took it over
    throw error
  }
  const movedText = await readFile(aside, 'utf8').catch(() => staleText)
  if (movedText !== staleText) await link(aside, lockFile).catch(() => {})
  await unlink(aside).catch(() => {})
}

async function release(dir: string, lockFile: string, me: LockHolder): Promise<void> {
  const current = await readLock(lockFile)
  if (current?.holder?.token === me.token) await unlink(lockFile).catch(() => {})
  // Leave no empty staging folder behind in the user's project; a non-empty one is in use or needs recovery.
  await rmdir(dir).catch(() => {})
}

function lockedError(lockFile: string, holder: LockHolder | undefined): SnapshotError {
  const who =
    holder === undefined ? 'another process' : `pid ${holder.pid} on ${holder.hostname}, since ${holder.startedAt}`
  return new SnapshotError({
    code: 'generate_locked',
    file: lockFile,
    problem: `another ash-sqlite generate run holds the lock (${who})`,
    fix: 'Wait for it to finish and run generate again; if that process no longer exists, delete the lock file',
  })
}
