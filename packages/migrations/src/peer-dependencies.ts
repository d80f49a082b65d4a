import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { AshSqliteError } from './errors.js'

/**
 * drizzle-orm and drizzle-kit are peer dependencies pinned to one exact version: the resource DSL builds
 * drizzle-orm tables and the generator feeds them to drizzle-kit's differ, and both change shape between
 * release candidates. A wrong version otherwise surfaces as an obscure missing export deep in a stack.
 */
export const DRIZZLE_VERSION = '1.0.0-rc.5'

/** A peer dependency is missing or has another version than the one ash-sqlite is built for. */
export class DependencyError extends AshSqliteError {
  override name = 'DependencyError'
  readonly dependency: string
  readonly found: string | null

  constructor(dependency: string, found: string | null, message: string) {
    super(found === null ? 'dependency_missing' : 'dependency_version', message)
    this.dependency = dependency
    this.found = found
  }
}

/** Where an installed package is: its root folder and its package.json. */
export interface InstalledPackage {
  readonly dir: string
  readonly manifest: { readonly version?: unknown; readonly exports?: unknown }
}

/**
 * The package `name` that `from` (a file) would load when it imports `specifier` (default: the package
 * itself), or null when it cannot be resolved.
 */
export function findPackage(specifier: string, from: string, name: string = specifier): InstalledPackage | null {
  let entry: string
  try {
    entry = createRequire(from).resolve(specifier)
  } catch {
    return null
  }
  // The package's exports may hide its package.json: walk up from its entry point instead.
  for (let dir = dirname(entry); dirname(dir) !== dir; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json')
    if (!existsSync(manifest)) continue
    const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as InstalledPackage['manifest'] & { name?: unknown }
    if (parsed.name === name) return { dir, manifest: parsed }
  }
  return null
}

/** The version of the package `name` that `from` would load, or null when it is not installed. */
export function installedVersion(specifier: string, from: string, name: string = specifier): string | null {
  const found = findPackage(specifier, from, name)
  const version = found?.manifest.version
  return typeof version === 'string' ? version : null
}

/**
 * Throws a `DependencyError` unless the drizzle-orm this package sees is exactly `DRIZZLE_VERSION`. Run before
 * the config (and with it the user's resources) is imported, so the message comes before any missing export.
 */
export function assertDrizzleOrmVersion(from: string = import.meta.url): void {
  const found = installedVersion('drizzle-orm', from)
  if (found === DRIZZLE_VERSION) return
  const install = `npm install --save-exact drizzle-orm@${DRIZZLE_VERSION}`
  if (found === null) {
    throw new DependencyError(
      'drizzle-orm',
      null,
      `ash-sqlite needs drizzle-orm ${DRIZZLE_VERSION}, and it is not installed. Install it: ${install}`,
    )
  }
  throw new DependencyError(
    'drizzle-orm',
    found,
    `ash-sqlite needs drizzle-orm ${DRIZZLE_VERSION}, found ${found}. Install exactly that version: ${install} ` +
      '(a ^ range lets npm pick another release candidate).',
  )
}

/**
 * Where drizzle-kit's SQLite payload is, for the commands that diff resources (generate, regen). drizzle-kit
 * is the project's own dev dependency, not one of ours: a production install that only migrates leaves its
 * ~100 MB out (a peer dependency, even an optional one, would keep it in `npm ci --omit=dev`). So it is looked
 * up from the project folder first (where npm and pnpm put the project's dev dependencies), then from this
 * package (a workspace that develops ash-sqlite itself). Throws the `DependencyError` that says how to
 * install it when it is missing or another version.
 */
export function locateDrizzleKit(projectDir: string | undefined): string {
  const bases = [...(projectDir === undefined ? [] : [join(projectDir, 'package.json')]), import.meta.url]
  for (const base of bases) {
    const found = findPackage('drizzle-kit/payload/sqlite', base, 'drizzle-kit')
    if (found === null) continue
    if (found.manifest.version !== DRIZZLE_VERSION) {
      throw drizzleKitError(typeof found.manifest.version === 'string' ? found.manifest.version : 'unknown')
    }
    // The ESM build (what `import 'drizzle-kit/payload/sqlite'` loads), not the CommonJS one require() finds.
    return pathToFileURL(join(found.dir, esmEntry(found.manifest.exports) ?? 'payload-sqlite.mjs')).href
  }
  throw drizzleKitError(null)
}

function esmEntry(exports: unknown): string | undefined {
  const entry = (exports as Record<string, unknown> | undefined)?.['./payload/sqlite']
  const target = (entry as { import?: unknown } | undefined)?.import
  const path = typeof target === 'string' ? target : (target as { default?: unknown } | undefined)?.default
  return typeof path === 'string' ? path : undefined
}

/** The error that says how to get drizzle-kit 1.0.0-rc.5 (`found`: the version installed, null when none). */
export function drizzleKitError(found: string | null, cause?: unknown): DependencyError {
  const install = `npm i -D drizzle-kit@${DRIZZLE_VERSION}`
  const message =
    found === null
      ? `Generating migrations needs drizzle-kit ${DRIZZLE_VERSION}, and it is not installed (applying them does not need it). Install it as a dev dependency: ${install}`
      : `Generating migrations needs drizzle-kit ${DRIZZLE_VERSION}, found ${found}. Install exactly that version: ${install} --save-exact`
  const error = new DependencyError('drizzle-kit', found, message)
  if (cause !== undefined) Object.defineProperty(error, 'cause', { value: cause, enumerable: false })
  return error
}
