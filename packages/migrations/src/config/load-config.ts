import { existsSync, statSync } from 'node:fs'
import { basename, relative, resolve } from 'node:path'
import { ConfigError } from '../errors.js'
import type { AshSqliteConfig } from './define-config.js'
import { describeLoadError } from './load-error.js'
import { createModuleLoader } from './module-loader.js'
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
  const loader = await createModuleLoader()
  let exports: unknown
  try {
    exports = await loader.import(path)
  } catch (error) {
    if (isResourceDefinitionError(error)) throw error
    throw new ConfigError(describeLoadError(error, loader, path, cwd), { cause: error })
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

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile()
}

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory()
}
