import { existsSync, statSync } from 'node:fs'
import { basename, relative, resolve } from 'node:path'
import { ConfigError } from '../errors.js'
import type { AshSqliteConfig } from './define-config.js'
import { resolveConfig } from './resolve-config.js'
import type { ResolvedConfig } from './resolved-config.js'

/** Config file names looked up in the working directory, in this order. */
export const CONFIG_FILE_NAMES: readonly string[] = [
  'ash-sqlite.config.ts',
  'ash-sqlite.config.mts',
  'ash-sqlite.config.js',
  'ash-sqlite.config.mjs',
]

export interface LoadConfigOptions {
  /** Working directory: where the config file is looked up and relative paths start. Default: `process.cwd()`. */
  cwd?: string | undefined
  /** Path of the config file, relative to `cwd`; skips the lookup. */
  configFile?: string | undefined
}

/**
 * Finds, imports (TypeScript included, through jiti) and resolves the project's config file.
 * Throws a `ConfigError` when the file is missing, cannot be loaded or is invalid; a
 * `ResourceDefinitionError` thrown by the user's resources while the file loads is rethrown as it is.
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<ResolvedConfig> {
  const cwd = resolve(options.cwd ?? process.cwd())
  const configFile = findConfigFile(cwd, options.configFile)
  const config = await importConfigFile(configFile, cwd)
  return resolveConfig(config as AshSqliteConfig, { cwd, configFile })
}

/** The config file to load: the one named by `configFile`, or the first of `CONFIG_FILE_NAMES` in `cwd`. */
export function findConfigFile(cwd: string, configFile?: string): string {
  if (configFile !== undefined) {
    const path = resolve(cwd, configFile)
    if (!isFile(path)) {
      throw new ConfigError(`Config file ${configFile} not found (looked for ${path}). Check the --config path.`)
    }
    return path
  }
  if (!isDirectory(cwd)) throw new ConfigError(`Working directory ${cwd} does not exist. Check the --cwd path.`)
  const found = CONFIG_FILE_NAMES.map((name) => resolve(cwd, name)).find(isFile)
  if (found !== undefined) return found
  throw new ConfigError(
    `No ash-sqlite config file in ${cwd} (looked for ${CONFIG_FILE_NAMES.join(', ')}).\n` +
      'Create one that does `export default defineConfig({ domains: [...] })`, or pass --config PATH.',
  )
}

async function importConfigFile(path: string, cwd: string): Promise<unknown> {
  const { createJiti } = await import('jiti')
  // No module cache: loading a config twice in one process (tests, watch tools) must see its current code.
  const jiti = createJiti(import.meta.url, { moduleCache: false, interopDefault: true })
  let exports: unknown
  try {
    exports = await jiti.import(path)
  } catch (error) {
    if (isResourceDefinitionError(error)) throw error
    const name = relative(cwd, path) || basename(path)
    throw new ConfigError(`Cannot load ${name}: ${describeLoadError(error, path, name)}`, { cause: error })
  }
  return defaultExport(exports, relative(cwd, path) || basename(path))
}

function defaultExport(exports: unknown, name: string): unknown {
  if (typeof exports === 'object' && exports !== null && 'default' in exports && exports.default !== undefined) {
    return exports.default
  }
  throw new ConfigError(`${name} has no default export: add \`export default defineConfig({ domains: [...] })\`.`)
}

/**
 * The user's resources are loaded by jiti, possibly from another copy of `@ash-sqlite/resource` than ours,
 * so `instanceof` cannot be trusted: recognise the error by its name and code.
 */
function isResourceDefinitionError(error: unknown): boolean {
  return (
    error instanceof Error &&
    error.name === 'ResourceDefinitionError' &&
    typeof (error as { code?: unknown }).code === 'string'
  )
}

/** The first line of the cause, plus where in the config file it happened when the parser says so. */
function describeLoadError(error: unknown, path: string, name: string): string {
  const message = error instanceof Error ? error.message : String(error)
  const firstLine = message.trim().split('\n')[0]?.trim() ?? ''
  const location = message.slice(message.indexOf(path) + path.length).match(/^:(\d+):(\d+)/)
  return message.includes(path) && location !== null && !firstLine.includes(path)
    ? `${firstLine} (${name}:${location[1]}:${location[2]})`
    : firstLine
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile()
}

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory()
}
