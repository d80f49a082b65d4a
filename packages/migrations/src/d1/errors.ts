/**
 * Errors of the D1 path. Pure module (no `node:` imports): the Worker entry loads it.
 */
import { AshSqliteError } from '../errors.js'
import type { MigrationDirection } from '../migrator/errors.js'

/** How a D1 database shows in reports: it has no URL, only a binding. */
export function d1DisplayUrl(binding: string): string {
  return `d1:${binding}`
}

/** A D1 repo was selected, but the run has no binding to reach it through. */
export class D1BindingRequiredError extends AshSqliteError {
  override name = 'D1BindingRequiredError'
  constructor(repo: string, binding: string) {
    super(
      'd1_binding_required',
      `Repo ${repo} is a Cloudflare D1 database (binding ${binding}) and has no URL to open.\n  Apply it inside a Worker with migrate(config, { repo: '${repo}', d1: env.${binding} }), or to wrangler dev's local state with \`ash-sqlite migrate --repo ${repo} --local\`.`,
    )
  }
}

/**
 * A table rebuild would leave rows of other tables (or of the table itself) pointing at no parent row. The
 * check runs inside the migration's batch, so D1 rolled the whole migration back: nothing changed.
 */
export class D1OrphanedRowsError extends AshSqliteError {
  override name = 'D1OrphanedRowsError'
  readonly migrationName: string
  readonly direction: MigrationDirection
  readonly table: string

  constructor(migrationName: string, direction: MigrationDirection, table: string, options: { cause?: unknown } = {}) {
    const file = direction === 'up' ? 'migration.sql' : 'down.sql'
    super(
      'foreign_key_violation',
      `Migration ${migrationName} (${file}) was rolled back, nothing changed: rebuilding table ${table} would leave rows whose foreign keys point at no parent row (in ${table} or in a table that references it).\n  Delete or fix those rows first (PRAGMA foreign_key_check lists them once the migration ran on a copy), then migrate again.`,
      options,
    )
    this.migrationName = migrationName
    this.direction = direction
    this.table = table
  }
}

/** A statement of a migration's batch failed on D1; the batch was rolled back as a whole. */
export class D1MigrationFailedError extends AshSqliteError {
  override name = 'D1MigrationFailedError'
  readonly migrationName: string
  readonly direction: MigrationDirection

  constructor(migrationName: string, direction: MigrationDirection, reason: string, options: { cause?: unknown } = {}) {
    const file = direction === 'up' ? 'migration.sql' : 'down.sql'
    super(
      'migration_failed',
      `Migration ${migrationName} (${file}) failed on D1 and was rolled back as one batch, nothing changed: ${reason}`,
      options,
    )
    this.migrationName = migrationName
    this.direction = direction
  }
}

/** A migration file holds a statement D1 refuses (BEGIN/COMMIT, PRAGMA foreign_keys), found before anything ran. */
export class D1UnsupportedStatementError extends AshSqliteError {
  override name = 'D1UnsupportedStatementError'
  constructor(migrationName: string, statement: string) {
    super(
      'd1_unsupported_statement',
      `Migration ${migrationName} holds a statement D1 cannot run: ${statement.trim().split('\n')[0]}\n  D1 runs each migration as one batch (no BEGIN/COMMIT/SAVEPOINT; PRAGMA foreign_keys does nothing there). Regenerate it for the D1 repo (dialect: 'd1'), or remove the statement.`,
    )
  }
}

/** `--local` needs the `miniflare` package, which is not a dependency of the migrator. */
export class D1LocalUnavailableError extends AshSqliteError {
  override name = 'D1LocalUnavailableError'
  constructor(options: { cause?: unknown } = {}) {
    super(
      'd1_local_unavailable',
      'Applying to the local D1 state (--local) needs the miniflare package, which could not be loaded.\n  Install it next to ash-sqlite: npm install -D miniflare (wrangler brings it too).',
      options,
    )
  }
}
