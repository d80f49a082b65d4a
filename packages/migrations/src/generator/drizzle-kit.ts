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
 * install the right one.
 */
export function loadDrizzleKit(projectDir?: string): Promise<DrizzleKit> {
  loaded ??= importDrizzleKit(projectDir)
  return loaded
}

async function importDrizzleKit(projectDir: string | undefined): Promise<DrizzleKit> {
  try {
    return (await import(locateDrizzleKit(projectDir))) as DrizzleKit
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
