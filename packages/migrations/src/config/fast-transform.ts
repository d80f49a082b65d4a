import { createRequire, SourceMap } from 'node:module'
import { pathToFileURL } from 'node:url'

/**
 * A TypeScript transform for jiti that runs in milliseconds instead of Babel's seconds (a 400 KiB resources
 * file: ~25 ms against 1.5-2.5 s, and ~100 MB less memory). It uses oxc-transform's prebuilt binary:
 *   1. `transformSync` strips the types (eliding imports used only as types, as tsc and Babel do);
 *   2. `moduleRunnerTransformSync` rewrites `import`/`export` into calls on a few `__vite_ssr_*__` names,
 *      which a one-line prelude binds to the CommonJS-style wrapper jiti evaluates every module in
 *      (`exports`, and `jitiImport` for static and dynamic imports alike).
 * The module-runner transform is meant for Vite (its docs mark it deprecated for other uses), so oxc is
 * pinned to one exact version, and whatever cannot load it (an unsupported platform, a missing binary)
 * falls back to jiti's own Babel transform: slower, never wrong.
 */

/** What jiti hands its `transform` option. */
export type JitiTransformOptions = import('jiti').TransformOptions

export interface FastTransform {
  /** Names the transform and its version: part of the cache directory, since jiti's cache key ignores it. */
  readonly id: string
  /** Whether this transform can handle a module (it needs jiti's async mode, where top-level await works). */
  canTransform(options: JitiTransformOptions): boolean
  /** The module as jiti evaluates it; throws a `ModuleSyntaxError` when the source does not parse. */
  transform(options: JitiTransformOptions): string
  /**
   * Where a position of the evaluated code (1-based line, 0-based column, as in a stack trace) came from in
   * `source`; undefined when the maps say nothing about it. Only used for errors, so maps are made on demand.
   */
  originalPosition(filename: string, source: string, position: SourcePosition): SourcePosition | undefined
}

export interface SourcePosition {
  /** 1-based. */
  readonly line: number
  /** 0-based. */
  readonly column: number
}

/** The user's module does not parse: where and why, in the user's own terms. */
export class ModuleSyntaxError extends Error {
  override name = 'ModuleSyntaxError'
  constructor(
    message: string,
    readonly file: string,
    readonly position: SourcePosition,
  ) {
    super(message)
  }
}

type Oxc = typeof import('oxc-transform')

/** Bumped whenever the prelude or the options change what lands in the cache. */
const OUTPUT_VERSION = 1

/**
 * The oxc transform, or undefined when oxc-transform cannot be loaded here (then jiti's Babel takes over).
 * `ASH_SQLITE_TRANSFORM=babel` forces the fallback (to compare, or to work around a transform bug).
 */
export function loadFastTransform(): FastTransform | undefined {
  if (process.env.ASH_SQLITE_TRANSFORM === 'babel') return undefined
  let oxc: Oxc
  let version: string
  try {
    const require = createRequire(import.meta.url)
    oxc = require('oxc-transform') as Oxc
    version = (require('oxc-transform/package.json') as { version: string }).version
    if (typeof oxc.transformSync !== 'function' || typeof oxc.moduleRunnerTransformSync !== 'function') return undefined
  } catch {
    return undefined
  }
  return oxcTransform(oxc, `oxc-${version}-${OUTPUT_VERSION}`)
}

function oxcTransform(oxc: Oxc, id: string): FastTransform {
  const stages = (filename: string, source: string, sourcemap: boolean) => {
    const stripped = oxc.transformSync(filename, source, {
      lang: langOf(filename),
      sourceType: 'module',
      sourcemap,
    })
    const syntaxError = stripped.errors.find((error) => error.severity === 'Error')
    if (syntaxError !== undefined) {
      throw new ModuleSyntaxError(syntaxError.message, filename, positionOf(source, syntaxError.labels[0]?.start ?? 0))
    }
    // The stripped code is plain JavaScript now, whatever the file's extension.
    const module = oxc.moduleRunnerTransformSync(`${filename}.js`, stripped.code, { sourcemap })
    const moduleError = module.errors.find((error) => error.severity === 'Error')
    if (moduleError !== undefined) throw new ModuleSyntaxError(moduleError.message, filename, { line: 1, column: 0 })
    return { stripped, module }
  }
  return {
    id,
    canTransform: (options) => options.async === true && options.filename !== undefined,
    transform(options) {
      const filename = options.filename!
      // One line, so that line N of the module is line N + 1 of what jiti evaluates (see originalPosition).
      return `${prelude(filename)}\n${stages(filename, options.source, false).module.code}`
    },
    originalPosition(filename, source, position) {
      let maps: ReturnType<typeof stages>
      try {
        maps = stages(filename, source, true)
      } catch {
        return undefined
      }
      // jiti's wrapper and the prelude take the first line.
      const inModule = { line: position.line - 1, column: position.column }
      if (inModule.line < 1 || maps.module.map === undefined || maps.stripped.map === undefined) return undefined
      const inStripped = lookup(maps.module.map, inModule)
      return inStripped === undefined ? undefined : lookup(maps.stripped.map, inStripped)
    },
  }
}

/** Binds the module runner's names to jiti's wrapper: `exports`, `jitiImport` (relative to this module). */
function prelude(filename: string): string {
  const meta = `{ url: ${JSON.stringify(pathToFileURL(filename).href)}, filename: __filename, dirname: __dirname }`
  return [
    'const __vite_ssr_exports__ = exports',
    '__vite_ssr_import__ = (id) => jitiImport(id)',
    '__vite_ssr_dynamic_import__ = (id) => jitiImport(id)',
    `__vite_ssr_import_meta__ = ${meta}`,
    '__vite_ssr_exportAll__ = (from) => { for (const key in from) if (key !== "default" && !(key in exports)) ' +
      'Object.defineProperty(exports, key, { enumerable: true, configurable: true, get: () => from[key] }) };',
  ].join(', ')
}

/** Line and column of a UTF-8 byte offset (what oxc reports) in `source`. */
function positionOf(source: string, byteOffset: number): SourcePosition {
  const before = Buffer.from(source, 'utf8').subarray(0, byteOffset).toString('utf8')
  const lineStart = before.lastIndexOf('\n') + 1
  return { line: before.split('\n').length, column: before.length - lineStart }
}

function langOf(filename: string): 'ts' | 'tsx' | 'js' | 'jsx' {
  if (/\.[cm]?tsx$/.test(filename)) return 'tsx'
  if (/\.[cm]?ts$/.test(filename)) return 'ts'
  if (/\.[cm]?jsx$/.test(filename)) return 'jsx'
  return 'js'
}

interface RawSourceMap {
  readonly mappings: string
  readonly sources: string[]
  readonly names: string[]
  readonly version: number
}

/** The original position of a generated one, through node's own source map reader. */
function lookup(map: RawSourceMap, position: SourcePosition): SourcePosition | undefined {
  const entry = new SourceMap({ ...map, version: 3, file: '', sourceRoot: '', sourcesContent: [] }).findEntry(
    position.line - 1,
    position.column,
  )
  if (!('originalLine' in entry) || entry.originalLine === undefined) return undefined
  return { line: entry.originalLine + 1, column: entry.originalColumn }
}
