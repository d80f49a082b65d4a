import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Jiti } from 'jiti'
import { type FastTransform, type JitiTransformOptions, loadFastTransform } from './fast-transform.js'

/**
 * Imports the user's config and resource modules, TypeScript included, through jiti: with the fast oxc
 * transform when it loads here (see fast-transform.ts), otherwise with jiti's own Babel transform.
 */
export interface ModuleLoader {
  import(path: string): Promise<unknown>
  /** The transform in use, to map positions of errors back to the user's lines; undefined for Babel's. */
  readonly fastTransform: FastTransform | undefined
}

export async function createModuleLoader(): Promise<ModuleLoader> {
  const { createJiti } = await import('jiti')
  const fastTransform = loadFastTransform()
  // No module cache: loading a config twice in one process (tests, watch tools) must see its current code.
  const base = { moduleCache: false, interopDefault: true }
  if (fastTransform === undefined) {
    const jiti = createJiti(import.meta.url, base)
    return { import: (path) => jiti.import(path), fastTransform }
  }
  let babel: Jiti | undefined
  const jiti = createJiti(import.meta.url, {
    ...base,
    // jiti's file cache is keyed by path and content only, not by the transform: ours gets its own directory,
    // named after the transform's version, so neither Babel's output nor an older oxc's is ever picked up.
    fsCache: cacheDisabled() ? false : join(tmpdir(), 'jiti-ash-sqlite', fastTransform.id),
    transform: (options: JitiTransformOptions) => {
      if (fastTransform.canTransform(options)) return { code: fastTransform.transform(options) }
      // A synchronous require() of a TypeScript file (no top-level await there): Babel, as before.
      babel ??= createJiti(import.meta.url, base)
      return { code: babel.transform(options) }
    },
  })
  return { import: (path) => jiti.import(path), fastTransform }
}

/** jiti's own switch for its file cache, honoured for ours too. */
function cacheDisabled(): boolean {
  const value = process.env.JITI_FS_CACHE ?? process.env.JITI_CACHE
  return value === 'false' || value === '0'
}
