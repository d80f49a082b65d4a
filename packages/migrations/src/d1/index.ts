/**
 * `@ash-sqlite/migrations/d1`: migrate, roll back and read the status of a Cloudflare D1 database from inside
 * a Worker. Nothing here touches a file system or imports a `node:` module: the migrations come from the
 * module `ash-sqlite generate` writes beside a D1 repo's folders (`migrations/<repo>/migrations.js`).
 *
 *   import migrations from '../migrations/edge/migrations.js'
 *   import { migrate } from '@ash-sqlite/migrations/d1'
 *   const result = await migrate(migrations, { d1: env.DB })
 */
import { UsageError } from '../errors.js'
import type { MigrateRunResult, MigratorEvent, RollbackRunResult, StatusRunResult } from '../migrator/types.js'
import type { D1DatabaseLike } from './binding.js'
import { bundledFolder, type D1MigrationBundle } from './bundle.js'
import { d1DisplayUrl } from './errors.js'
import { runD1, statusD1 } from './run.js'

export type { D1DatabaseLike, D1PreparedStatementLike } from './binding.js'
export type { D1BundledMigration, D1MigrationBundle } from './bundle.js'
export {
  D1BindingRequiredError,
  D1LocalUnavailableError,
  D1MigrationFailedError,
  D1OrphanedRowsError,
  D1UnsupportedStatementError,
} from './errors.js'
export type { ChildDeleteAction, CopiedColumn, D1TableRebuild, RebuildChild } from './rebuild.js'
export { renderD1Rebuild, renderForeignKeyAssertion } from './rebuild.js'

/** The bundled module of one repo, or several (then `repo` picks one). */
export type D1MigrationSource = D1MigrationBundle | readonly D1MigrationBundle[]

export interface D1Options {
  /** The D1 binding, e.g. `env.DB`. */
  readonly d1: D1DatabaseLike
  /** Which repo's migrations (required when `source` holds several). */
  readonly repo?: string | undefined
  /** The name the database has in reports. Default: the repo's name. */
  readonly database?: string | undefined
  readonly onEvent?: ((event: MigratorEvent) => void) | undefined
}

export interface D1MigrateOptions extends D1Options {
  readonly step?: number | undefined
  readonly to?: string | undefined
  readonly dryRun?: boolean | undefined
  readonly allowChanged?: boolean | undefined
}

export interface D1RollbackOptions extends D1Options {
  readonly step?: number | undefined
  readonly to?: string | undefined
  readonly all?: boolean | undefined
  readonly dryRun?: boolean | undefined
}

/** Applies the pending migrations, each as one atomic batch. Results are data; throws only for bad options. */
export function migrate(source: D1MigrationSource, options: D1MigrateOptions): Promise<MigrateRunResult> {
  const { step, to, dryRun, allowChanged } = options
  return runD1(input(source, options), { command: 'migrate', step, to, dryRun, allowChanged })
}

/** Rolls back applied migrations (default: the newest) with their down.sql, each as one atomic batch. */
export function rollback(source: D1MigrationSource, options: D1RollbackOptions): Promise<RollbackRunResult> {
  const { step, to, all, dryRun } = options
  return runD1(input(source, options), { command: 'rollback', step, to, all, dryRun })
}

/** Every migration with its state. Read-only. */
export function status(source: D1MigrationSource, options: D1Options): Promise<StatusRunResult> {
  return statusD1(input(source, options))
}

function input(source: D1MigrationSource, options: D1Options) {
  const bundle = pickBundle(source, options.repo)
  const migrationsDir = `migrations/${bundle.repo}`
  return {
    target: {
      repo: bundle.repo,
      database: options.database ?? bundle.repo,
      url: d1DisplayUrl(options.database ?? bundle.repo),
      d1: options.d1,
    },
    folders: bundle.migrations.map((migration) => bundledFolder(migration, migrationsDir)),
    migrationsDir,
    onEvent: options.onEvent,
  }
}

function pickBundle(source: D1MigrationSource, repo: string | undefined): D1MigrationBundle {
  const bundles: readonly D1MigrationBundle[] = isBundleList(source) ? source : [source]
  if (!bundles.every(isBundle)) {
    throw new UsageError(
      'D1 migrate: the migrations given are not a bundled migrations module. Import migrations/<repo>/migrations.js (written by `ash-sqlite generate` for repos with dialect: "d1") and pass its default export.',
    )
  }
  const chosen = repo === undefined ? bundles : bundles.filter((bundle) => bundle.repo === repo)
  const [only] = chosen
  if (chosen.length === 1 && only !== undefined) return only
  const names = bundles.map((bundle) => bundle.repo).join(', ') || '(none)'
  throw new UsageError(
    repo === undefined
      ? `D1 migrate: the migrations of several repos were given (${names}); pass repo to pick one.`
      : `D1 migrate: no migrations of repo ${repo} were given (repos: ${names}).`,
  )
}

function isBundleList(source: D1MigrationSource): source is readonly D1MigrationBundle[] {
  return Array.isArray(source)
}

function isBundle(value: unknown): value is D1MigrationBundle {
  const candidate = value as Partial<D1MigrationBundle> | null
  return typeof candidate?.repo === 'string' && Array.isArray(candidate.migrations)
}
