import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
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

/**
 * The version of package `name` that `from` (a file) would load when it imports `specifier` (default: the
 * package itself), or null when it cannot be resolved.
 */
export function installedVersion(specifier: string, from: string, name: string = specifier): string | null {
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
    const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown; version?: unknown }
    if (parsed.name === name) return typeof parsed.version === 'string' ? parsed.version : null
  }
  return null
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
 * How to get drizzle-kit, for the commands that diff resources (generate, regen). It is an optional peer
 * dependency: a production install that only migrates does not need its ~100 MB.
 */
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
