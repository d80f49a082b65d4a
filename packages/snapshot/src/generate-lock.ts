import { randomBytes } from 'node:crypto'
import { link, mkdir, readFile, rename, rmdir, stat, unlink } from 'node:fs/promises'
import { hostname } from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { errorCode, writeNewFileDurably } from './durable-fs.js'
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

/**
 * Create the lock file with its contents in one step: write a private file, then hard-link it to the lock
 * name (which fails if the name exists). So a lock file is never seen empty while its writer lives; an empty
 * one can only be left by a writer that died (disk full, power loss) and is taken over at once.
 */
async function tryCreate(dir: string, lockFile: string, me: LockHolder): Promise<boolean> {
  const draft = `${lockFile}.${process.pid}-${me.token}`
  try {
    await mkdir(dir, { recursive: true })
    await writeNewFileDurably(draft, JSON.stringify(me))
  } catch (error) {
    // ENOENT: a releasing run removed the (empty) staging folder during our mkdir or open: try again.
    if (errorCode(error) === 'ENOENT') return false
    throw error
  }
  try {
    await link(draft, lockFile)
    return true
  } catch (error) {
    const code = errorCode(error)
    if (code === 'EEXIST') return false
    // A filesystem without hard links: fall back to an exclusive create (a crash may then leave it empty).
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP') return createExclusive(lockFile, me)
    throw error
  } finally {
    await unlink(draft).catch(() => {})
  }
}

async function createExclusive(lockFile: string, me: LockHolder): Promise<boolean> {
  try {
    await writeNewFileDurably(lockFile, JSON.stringify(me))
    return true
  } catch (error) {
    if (errorCode(error) === 'EEXIST' || errorCode(error) === 'ENOENT') return false
    throw error
  }
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
    // Written in one step (see tryCreate), so an empty or unreadable lock lost its writer: no grace period.
    // (takeOverStale puts back a lock that a filesystem without hard links was still filling.)
    return (await stat(lockFile).catch(() => undefined)) !== undefined
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
