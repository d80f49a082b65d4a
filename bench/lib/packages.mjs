/**
 * Locating the tools under test: package roots, versions and CLI entry points, resolved the way Node
 * would from `bench/` (several packages do not export their package.json, so we walk the lookup paths).
 */
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const BENCH_DIR = dirname(dirname(fileURLToPath(import.meta.url)))
export const REPO_ROOT = dirname(BENCH_DIR)
const requireFromBench = createRequire(join(BENCH_DIR, 'package.json'))

/** Absolute root directory of an installed package, or null when it cannot be found from bench/. */
export function packageRoot(name) {
  for (const dir of requireFromBench.resolve.paths(name) ?? []) {
    const candidate = join(dir, name)
    if (existsSync(join(candidate, 'package.json'))) return candidate
  }
  return null
}

/** The parsed package.json of an installed package, or null. */
export function packageJson(name) {
  const root = packageRoot(name)
  return root ? JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) : null
}

/** Absolute path of the file a package's `bin` entry points at (the first one, or the one named `binName`). */
export function packageBin(name, binName) {
  const root = packageRoot(name)
  const manifest = packageJson(name)
  if (!root || !manifest?.bin) return null
  const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin[binName ?? Object.keys(manifest.bin)[0]]
  return bin ? resolve(root, bin) : null
}

/** Versions of everything a result depends on, for RESULTS.md. */
export function toolVersions() {
  const names = [
    'drizzle-kit',
    'drizzle-orm',
    '@libsql/client',
    '@ash-sqlite/migrations',
    '@ash-sqlite/resource',
    '@ash-sqlite/snapshot',
  ]
  const versions = {}
  for (const name of names) {
    versions[name] = packageJson(name)?.version ?? packageJsonNextTo(name)?.version ?? null
  }
  return versions
}

/** Workspace packages not linked into bench/ (e.g. @ash-sqlite/snapshot) are read from packages/. */
function packageJsonNextTo(name) {
  if (!name.startsWith('@ash-sqlite/')) return null
  const file = join(REPO_ROOT, 'packages', name.slice('@ash-sqlite/'.length), 'package.json')
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null
}
