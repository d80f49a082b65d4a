import { existsSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { ConfigError } from '../errors.js'

/** Config file names looked up in each folder, in this order. */
export const CONFIG_FILE_NAMES: readonly string[] = [
  'ash-sqlite.config.ts',
  'ash-sqlite.config.mts',
  'ash-sqlite.config.cts',
  'ash-sqlite.config.js',
  'ash-sqlite.config.mjs',
  'ash-sqlite.config.cjs',
]

/**
 * The config file to load: the one named by `configFile` (relative to `cwd`), or else the first of
 * `CONFIG_FILE_NAMES` in `cwd` or the nearest parent folder that has one, so a command run from `src/`
 * finds the project's config. The walk stops at the workspace root (a folder with pnpm-workspace.yaml, .git,
 * or a package.json that declares workspaces), so a config of an unrelated project higher up is never used.
 */
export function findConfigFile(cwd: string, configFile?: string): string {
  if (configFile !== undefined) {
    const path = resolve(cwd, configFile)
    if (!isFile(path)) {
      throw new ConfigError(`Config file ${configFile} not found (looked for ${path}). Check the --config path.`)
    }
    return path
  }
  if (!isDirectory(cwd)) throw new ConfigError(`Working directory ${cwd} does not exist. Check the --cwd path.`)
  let dir = cwd
  for (;;) {
    const found = CONFIG_FILE_NAMES.map((name) => join(dir, name)).find(isFile)
    if (found !== undefined) return found
    const parent = dirname(dir)
    if (isWorkspaceRoot(dir) || parent === dir) break
    dir = parent
  }
  const where = dir === cwd ? `in ${cwd}` : `in ${cwd} or its parents up to ${relativeOrSelf(cwd, dir)}`
  throw new ConfigError(
    `No ash-sqlite config file ${where} (looked for ${CONFIG_FILE_NAMES.join(', ')}).\n` +
      'Create one that does `export default defineConfig({ domains: [...] })`, or pass --config PATH.',
  )
}

/** Where a monorepo or repository ends: the lookup never leaves it. */
function isWorkspaceRoot(dir: string): boolean {
  if (existsSync(join(dir, 'pnpm-workspace.yaml')) || existsSync(join(dir, '.git'))) return true
  const packageJson = join(dir, 'package.json')
  if (!isFile(packageJson)) return false
  try {
    return (JSON.parse(readFileSync(packageJson, 'utf8')) as { workspaces?: unknown }).workspaces !== undefined
  } catch {
    return false
  }
}

function relativeOrSelf(from: string, to: string): string {
  return relative(from, to) || to
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile()
}

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory()
}
