import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import vm from 'node:vm'
import { locateDrizzleKit } from '../peer-dependencies.js'

/**
 * The one door to drizzle-kit. It is loaded lazily, the first time a run actually has a table to diff:
 * loading it costs a few hundred milliseconds, and a run without changes (the common case in CI and in
 * Turborepo tasks) must not pay for it.
 */
export type DrizzleKit = typeof import('drizzle-kit/payload/sqlite')

/** drizzle-kit's snapshot of a schema (format 7 for SQLite). */
export type DrizzleSnapshot = Awaited<ReturnType<DrizzleKit['generateDrizzleJson']>>

/** A hint, in drizzle-kit's own shape. */
export type Hint = import('drizzle-kit/payload/sqlite').Hint

export type MissingHint = import('drizzle-kit/payload/sqlite').MissingHint

let loaded: Promise<DrizzleKit> | undefined

/**
 * drizzle-kit is the project's dev dependency (production installs that only migrate skip it), looked up from
 * `projectDir` (the config's folder) first: a missing or wrong version is a `DependencyError` that says how to
 * install the right one. The package found is then loaded lean (see `loadLean`).
 */
export function loadDrizzleKit(projectDir?: string): Promise<DrizzleKit> {
  loaded ??= importDrizzleKit(projectDir)
  return loaded
}

async function importDrizzleKit(projectDir: string | undefined): Promise<DrizzleKit> {
  try {
    const esmEntry = locateDrizzleKit(projectDir)
    try {
      return loadLean(fileURLToPath(esmEntry))
    } catch (error) {
      if (process.env.ASH_SQLITE_DEBUG_KIT) console.error(error)
      // Whatever the lean load trips over (a changed package layout), the plain import works, only slower.
      return (await import(esmEntry)) as DrizzleKit
    }
  } catch (error) {
    loaded = undefined // a later call (after installing it) tries again
    throw error
  }
}

/** Whether this process has started loading drizzle-kit (a no-change run must leave it false). */
export function isDrizzleKitLoaded(): boolean {
  return loaded !== undefined
}

/** drizzle-kit's `MissingHintsError`, recognised by its stable code rather than by class identity. */
export function missingHintsOf(error: unknown): MissingHint[] | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const candidate = error as { code?: unknown; missingHints?: unknown }
  if (candidate.code !== 'missing_hints' || !Array.isArray(candidate.missingHints)) return undefined
  return candidate.missingHints as MissingHint[]
}

/**
 * drizzle-kit's SQLite payload is one 5.6 MB bundle. Imported as it is, a generate spends ~0.5 s compiling
 * it and loading drizzle-orm's cores of five other dialects, which its top level requires but the SQLite
 * differ never touches. So the CommonJS build is run here the way Node runs a CommonJS module, with two
 * differences:
 *   - its code is compiled with V8's code cache (kept next to jiti's cache, keyed by drizzle-kit's and
 *     Node's versions; V8 itself rejects a cache that does not fit the source), so only the first run compiles;
 *   - the other dialects' cores are required on first use only (a proxy that requires the real module the
 *     moment anything reads from it), so nothing can break if a code path does use them.
 */
function loadLean(esmEntryFile: string): DrizzleKit {
  // Resolved from inside the package that was found, so it is that package's CommonJS build.
  const require = createRequire(esmEntryFile)
  const file = require.resolve('drizzle-kit/payload/sqlite')
  const { version } = JSON.parse(readFileSync(join(dirname(file), 'package.json'), 'utf8')) as { version: string }
  const kitRequire = createRequire(file)
  const source = readFileSync(file, 'utf8')
  const cacheFile = join(
    tmpdir(),
    'ash-sqlite-code-cache',
    `drizzle-kit-${version}-payload-sqlite-node-${process.version}-${process.arch}.bin`,
  )
  const cachedData = readCache(cacheFile)
  const script = new vm.Script(wrapCommonJs(source), {
    filename: file,
    ...(cachedData === undefined ? {} : { cachedData }),
    // drizzle-kit's own dynamic import()s (none on the diff path) resolve as they would in a module.
    ...(vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER === undefined
      ? {}
      : { importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER }),
  })
  const module = { exports: {} as DrizzleKit }
  const run = script.runInThisContext() as (...args: unknown[]) => void
  const lazyRequire = (id: string) => (OTHER_DIALECT_CORES.test(id) ? requiredOnUse(kitRequire, id) : kitRequire(id))
  Object.assign(lazyRequire, { resolve: kitRequire.resolve, cache: kitRequire.cache })
  run.call(module.exports, module.exports, lazyRequire, module, file, dirname(file))
  if (cachedData === undefined || script.cachedDataRejected === true) writeCache(cacheFile, script.createCachedData())
  return module.exports
}

const OTHER_DIALECT_CORES = /^drizzle-orm\/(pg|mysql|mssql|cockroach|singlestore|gel)-core$/

function requiredOnUse(require: NodeJS.Require, id: string): object {
  let real: object | undefined
  const target = () => {
    real ??= require(id) as object
    return real
  }
  return new Proxy(
    {},
    {
      get: (_, key) => Reflect.get(target(), key),
      has: (_, key) => Reflect.has(target(), key),
      ownKeys: () => Reflect.ownKeys(target()),
      getOwnPropertyDescriptor: (_, key) => {
        const descriptor = Reflect.getOwnPropertyDescriptor(target(), key)
        return descriptor === undefined ? undefined : { ...descriptor, configurable: true }
      },
    },
  )
}

function wrapCommonJs(source: string): string {
  return `(function (exports, require, module, __filename, __dirname) { ${source}\n})`
}

function readCache(file: string): Buffer | undefined {
  try {
    return readFileSync(file)
  } catch {
    return undefined
  }
}

/** Best effort: a read-only or full temp folder only means the next run compiles again. */
function writeCache(file: string, data: Buffer): void {
  try {
    mkdirSync(dirname(file), { recursive: true })
    const temp = `${file}.${process.pid}.tmp`
    writeFileSync(temp, data)
    renameSync(temp, file)
  } catch {
    // ignored on purpose
  }
}
