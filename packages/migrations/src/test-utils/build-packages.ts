import { execFile } from 'node:child_process'
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs'
import { mkdir, rm, stat, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { packageDir, tempProjectsDir } from './temp-project.js'

const run = promisify(execFile)
const packagesDir = join(packageDir, '..')
const LOCK_STALE_MS = 5 * 60_000

/**
 * Builds workspace packages to their `dist/` (what the bin and config files loaded by jiti use), skipping
 * a package whose dist is newer than all its sources. Test files may call this at the same time, so the
 * builds run one at a time behind a lock directory.
 */
export async function buildPackages(names: readonly string[]): Promise<void> {
  await withLock(join(tempProjectsDir, '.build-lock'), async () => {
    for (const name of names) {
      const dir = join(packagesDir, name)
      const stamp = join(tempProjectsDir, `.built-${name}`)
      if (isUpToDate(dir, stamp)) continue
      const tsc = createRequire(join(packagesDir, '..', 'package.json')).resolve('typescript/bin/tsc')
      await run(process.execPath, [tsc, '-p', join(dir, 'tsconfig.build.json')], { cwd: dir }).catch((error) => {
        const output = String((error as { stdout?: unknown }).stdout ?? '').trim()
        throw new Error(`Building packages/${name} failed:\n${output}`, { cause: error })
      })
      await writeFile(stamp, '')
    }
  })
}

/** Built by a successful build newer than every source (a failed build also writes dist/: not trusted). */
function isUpToDate(dir: string, stamp: string): boolean {
  const built = statSync(stamp, { throwIfNoEntry: false })?.mtimeMs ?? 0
  const sources = newestMtime(join(dir, 'src'), (file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
  return built > 0 && built >= sources
}

function newestMtime(dir: string, include: (file: string) => boolean): number {
  let newest = 0
  let entries: string[]
  try {
    entries = readdirSync(dir, { recursive: true, encoding: 'utf8' })
  } catch {
    return 0
  }
  for (const entry of entries) {
    const path = join(dir, entry)
    const stats = statSync(path, { throwIfNoEntry: false })
    if (stats?.isFile() && include(entry)) newest = Math.max(newest, stats.mtimeMs)
  }
  return newest
}

async function withLock<T>(lockDir: string, work: () => Promise<T>): Promise<T> {
  mkdirSync(tempProjectsDir, { recursive: true })
  for (;;) {
    try {
      await mkdir(lockDir)
      break
    } catch {
      const age = Date.now() - ((await stat(lockDir).catch(() => null))?.mtimeMs ?? Date.now())
      if (age > LOCK_STALE_MS) rmSync(lockDir, { recursive: true, force: true })
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }
  try {
    return await work()
  } finally {
    await rm(lockDir, { recursive: true, force: true })
  }
}
