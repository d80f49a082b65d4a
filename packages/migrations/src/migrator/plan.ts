import { UsageError } from '../errors.js'
import {
  AmbiguousVersionError,
  ChangedMigrationError,
  type MigrationDirection,
  MissingDownError,
  MissingMigrationError,
  SquashRollbackError,
  UnknownVersionError,
} from './errors.js'
import { isApplied, isPending, type MigrationEntry } from './migration-state.js'
import { compareNames, type MigrationFolder, splitStatements } from './migration-text.js'

/** One migration a run will apply or roll back. */
export interface PlannedMigration {
  readonly folder: MigrationFolder
  readonly direction: MigrationDirection
  /** Every statement of migration.sql (up) or down.sql (down), in file order. */
  readonly statements: readonly string[]
}

export interface Plan {
  readonly steps: readonly PlannedMigration[]
  readonly warnings: readonly string[]
}

export interface MigratePlanOptions {
  readonly step?: number | undefined
  /** A resolved folder name (see `resolveVersion`). */
  readonly to?: string | undefined
  readonly allowChanged: boolean
}

export interface RollbackPlanOptions {
  readonly step?: number | undefined
  readonly to?: string | undefined
  readonly all: boolean
  /** Where the folders should be, for the message about a missing one. */
  readonly migrationsDir: string
}

/** Pending migrations in name order, limited by `to`/`step`; edited applied migrations stop it. */
export function planMigrate(entries: readonly MigrationEntry[], options: MigratePlanOptions): Plan {
  const warnings: string[] = []
  const changed = entries.filter((entry) => entry.state === 'changed').map((entry) => entry.name)
  if (changed.length > 0 && !options.allowChanged) throw new ChangedMigrationError(changed)
  for (const name of changed) {
    warnings.push(`Migration ${name} changed since it was applied; continuing because of --allow-changed.`)
  }
  for (const entry of entries.filter((entry) => entry.state === 'missing')) {
    warnings.push(`Migration ${entry.name} is recorded as applied but its folder is missing.`)
  }
  const { to, step } = options
  let pending = entries.filter((entry) => isPending(entry) && (to === undefined || compareNames(entry.name, to) <= 0))
  if (step !== undefined) pending = pending.slice(0, step)
  for (const entry of pending.filter((entry) => entry.state === 'out_of_order')) {
    warnings.push(
      `Migration ${entry.name} is older than the newest applied migration (merged from another branch?); applying it out of order.`,
    )
  }
  const steps = pending.flatMap((entry) => stepsUp(entry))
  // A squash reached through every migration it replaces gets its own row, so drizzle-orm agrees it is applied.
  const bookkeeping = entries.filter(
    (entry) => entry.state === 'applied' && entry.viaReplaced !== undefined && entry.applied === undefined,
  )
  if (to === undefined && step === undefined) steps.unshift(...bookkeeping.map((entry) => recordOnly(folderOf(entry))))
  return { steps, warnings }
}

/** A pending squash on a database that applied part of it: the rest of the replaced migrations, then its row. */
function stepsUp(entry: MigrationEntry): PlannedMigration[] {
  const folder = folderOf(entry)
  if (entry.viaReplaced === undefined) return [planned(folder, 'up')]
  return [...entry.viaReplaced.remaining.map((replaced) => planned(replaced, 'up')), recordOnly(folder)]
}

/** Writes the migration's tracking row and runs nothing. */
function recordOnly(folder: MigrationFolder): PlannedMigration {
  return { folder, direction: 'up', statements: [] }
}

/**
 * Applied migrations newest first (by name), limited by `step` (default 1), `to` or `all`. Refuses the
 * whole plan, before anything runs, when one of them has no folder or no usable down.sql.
 */
export function planRollback(entries: readonly MigrationEntry[], options: RollbackPlanOptions): Plan {
  const applied = entries.filter(isApplied).reverse()
  const { to } = options
  const chosen = options.all
    ? applied
    : to !== undefined
      ? applied.filter((entry) => compareNames(entry.name, to) > 0)
      : applied.slice(0, options.step ?? 1)
  const warnings = chosen
    .filter((entry) => entry.state === 'changed')
    .map((entry) => `Migration ${entry.name} changed since it was applied; rolling it back with its current down.sql.`)
  const squash = chosen.find((entry) => entry.folder?.squash !== undefined)
  if (squash !== undefined) throw new SquashRollbackError(squash.name)
  const steps = chosen.map((entry) => {
    if (entry.folder === undefined) throw new MissingMigrationError(entry.name, options.migrationsDir)
    checkUsableDown(entry.folder)
    return planned(entry.folder, 'down')
  })
  return { steps, warnings }
}

/** `--to VERSION`: a full folder name, or a prefix (usually the timestamp) of exactly one folder. */
export function resolveVersion(version: string, folders: readonly MigrationFolder[], repo: string): string {
  const names = folders.map((folder) => folder.name)
  if (names.includes(version)) return version
  const candidates = version === '' ? [] : names.filter((name) => name.startsWith(version))
  const [only] = candidates
  if (candidates.length === 1 && only !== undefined) return only
  if (candidates.length > 1) throw new AmbiguousVersionError(version, repo, candidates)
  throw new UnknownVersionError(version, repo, names)
}

/** `--step N` must be a positive integer. */
export function checkStep(step: number | undefined): void {
  if (step !== undefined && (!Number.isInteger(step) || step < 1)) {
    throw new UsageError(`--step must be a positive integer, got ${String(step)}.`)
  }
}

/** At most one of the named options may be set. */
export function checkExclusive(options: Record<string, unknown>): void {
  const set = Object.entries(options)
    .filter(([, value]) => value !== undefined && value !== false)
    .map(([name]) => `--${name}`)
  if (set.length > 1) throw new UsageError(`${set.join(' and ')} cannot be combined: pass one of them.`)
}

function checkUsableDown(folder: MigrationFolder): void {
  if (folder.downSql === null) throw new MissingDownError(folder.name, 'no_file')
  const upIsEmpty = splitStatements(folder.upSql).length === 0
  if (splitStatements(folder.downSql).length === 0 && !upIsEmpty) throw new MissingDownError(folder.name, 'empty')
}

function planned(folder: MigrationFolder, direction: MigrationDirection): PlannedMigration {
  const sql = direction === 'up' ? folder.upSql : (folder.downSql ?? '')
  return { folder, direction, statements: splitStatements(sql) }
}

function folderOf(entry: MigrationEntry): MigrationFolder {
  // Pending entries always come from a local folder.
  return entry.folder as MigrationFolder
}
