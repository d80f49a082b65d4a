/**
 * Scratch directories under bench/.work/ (gitignored). Each bench process works in its own
 * `.work/run-<pid>/`, so that two runs at once (say, a quick check while a full run goes on) do not
 * delete each other's projects; every scenario starts from a directory it empties itself.
 */
import { cp, mkdir, readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { BENCH_DIR } from './packages.mjs'

const WORK_ROOT = join(BENCH_DIR, '.work')
export const WORK_DIR = join(WORK_ROOT, `run-${process.pid}`)

function isRunning(pid) {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return error.code === 'EPERM'
  }
}

/** Removes the work directories of bench runs that are no longer running (crashed or killed). */
export async function removeStaleWorkDirs() {
  for (const name of await subdirectories(WORK_ROOT)) {
    const pid = Number(/^run-(\d+)$/.exec(name)?.[1])
    if (pid && pid !== process.pid && !isRunning(pid)) await rm(join(WORK_ROOT, name), { recursive: true, force: true })
  }
}

/** Removes this run's work directory. */
export async function removeWorkDir() {
  await rm(WORK_DIR, { recursive: true, force: true })
}

/** An empty directory at `path` (removed first if it exists). */
export async function freshDir(path) {
  await rm(path, { recursive: true, force: true })
  await mkdir(path, { recursive: true })
  return path
}

/** Replaces `to` with a copy of `from`. */
export async function copyDir(from, to) {
  await rm(to, { recursive: true, force: true })
  await cp(from, to, { recursive: true })
}

/** Names of the sub-directories of `dir` (none when it does not exist), sorted. */
export async function subdirectories(dir) {
  const entries = await readdir(dir, { withFileTypes: true }).catch((error) => {
    if (error.code === 'ENOENT') return []
    throw error
  })
  return entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
}

/** Removes a SQLite database file and its journal/WAL companions. */
export async function removeDatabase(file) {
  await Promise.all(['', '-wal', '-shm', '-journal'].map((suffix) => rm(`${file}${suffix}`, { force: true })))
}
