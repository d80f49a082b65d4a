import { basename, dirname, relative, resolve } from 'node:path'
import { ConfigError } from '../errors.js'
import { assertDrizzleOrmVersion } from '../peer-dependencies.js'
import type { AshSqliteConfig } from './define-config.js'
import { CONFIG_FILE_NAMES, findConfigFile } from './find-config-file.js'
import { describeLoadError } from './load-error.js'
import { createModuleLoader } from './module-loader.js'
import { resolveConfig } from './resolve-config.js'
import type { ResolvedConfig } from './resolved-config.js'

export { CONFIG_FILE_NAMES, findConfigFile }

export interface LoadConfigOptions {
  /**
   * Working directory: where the config file is looked up (then its parents, up to the workspace root).
   * Relative paths of the config (directories, `file:` URLs) start at the folder the config was found in.
   * Default: `process.cwd()`.
   */
  cwd?: string | undefined
  /** Path of the config file, relative to `cwd`; skips the lookup, and relative paths start at `cwd`. */
  configFile?: string | undefined
}

/**
 * Finds, imports (TypeScript included, through jiti) and resolves the project's config file.
 * Throws a `ConfigError` when the file is missing, cannot be loaded or is invalid; a
 * `ResourceDefinitionError` thrown by the user's resources while the file loads is rethrown as it is.
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<ResolvedConfig> {
  const startDir = resolve(options.cwd ?? process.cwd())
  const configFile = findConfigFile(startDir, options.configFile)
  // A config found by the lookup is the project's root, wherever the command was run from (e.g. src/).
  const cwd = options.configFile === undefined ? dirname(configFile) : startDir
  // Before the config imports the user's resources: a wrong drizzle-orm fails there with a missing export.
  assertDrizzleOrmVersion()
  const config = await importConfigFile(configFile, cwd)
  return resolveConfig(config as AshSqliteConfig, { cwd, configFile })
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

/**
 * The config object a file exports: `export default ...` (ESM or TypeScript), `module.exports = ...` (CommonJS,
 * which jiti exposes as `default`), or `exports.default = ...` (CommonJS compiled from TypeScript, seen as a
 * `default` inside the default).
 */
function defaultExport(exports: unknown, name: string): unknown {
  if (typeof exports === 'object' && exports !== null && 'default' in exports && exports.default !== undefined) {
    const value = exports.default
    if (isCompiledCommonJs(value)) return value.default
    return value
  }
  // CommonJS that jiti ran itself hands back `module.exports` as it is: neither a module namespace nor
  // marked `__esModule` (as a transpiled ES module without a default export is).
  // A TypeScript or .mjs file is an ES module (the TypeScript loader marks no `__esModule` on it), so only a
  // .js/.cjs/.cts file can have meant `module.exports`.
  if (!/\.(m?ts|mjs)$/.test(name) && isCommonJsExports(exports)) return exports
  const commonJs = /\.c[jt]s$/.test(name)
  throw new ConfigError(
    commonJs
      ? `${name} exports nothing: end it with \`module.exports = defineConfig({ domains: [...] })\` (defineConfig from require('@ash-sqlite/migrations')).`
      : `${name} has no default export: add \`export default defineConfig({ domains: [...] })\`.`,
  )
}

function isCommonJsExports(exports: unknown): exports is object {
  if (typeof exports !== 'object' || exports === null) return false
  if (Object.prototype.toString.call(exports) === '[object Module]') return false
  // An own `__esModule` marks transpiled ES modules; jiti's CommonJS interop only answers it through a proxy.
  return !Object.hasOwn(exports, '__esModule') && Object.keys(exports).length > 0
}

/** `exports.default = config` next to `__esModule`, as tsc's CommonJS output writes it. */
function isCompiledCommonJs(value: unknown): value is { default: unknown } {
  if (typeof value !== 'object' || value === null || !('default' in value)) return false
  const keys = Object.keys(value).filter((key) => key !== '__esModule')
  return keys.length === 1 && keys[0] === 'default'
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
