import type { D1DatabaseLike } from '../d1/binding.js'
import type { DatabaseEvent } from '../database/for-each-database.js'
import type { DatabaseSelection } from '../database/targets.js'
import type { AshSqliteError } from '../errors.js'
import type { ForkConflict } from '../forks/repo-forks.js'
import type { MigrationDirection } from './errors.js'
import type { MigrationState } from './migration-state.js'

/**
 * - `success`: ran and committed (its tracking row written or removed in the same transaction).
 * - `error`: failed and was rolled back to the state before it; `error` says why.
 * - `not_executed`: planned but not run: an earlier migration of the same database failed, or a dry run.
 * - `skipped`: another process applied (or rolled back) it between planning and taking the write lock.
 */
export type MigrationStatus = 'success' | 'error' | 'not_executed' | 'skipped'

export interface MigrationResult {
  readonly migrationName: string
  readonly direction: MigrationDirection
  readonly status: MigrationStatus
  readonly durationMs: number
  readonly error?: AshSqliteError
  /** For a failed statement: its 0-based index among the file's statements, and its text. */
  readonly statementIndex?: number
  readonly statement?: string
  /** Dry runs only: the statements that would run, in order (drizzle's PRAGMA foreign_keys lines excluded). */
  readonly statements?: readonly string[]
}

export interface DatabaseRunResult {
  readonly repo: string
  readonly database: string
  /** Redacted: no auth token, no userinfo. */
  readonly url: string
  /** One entry per planned migration, in the order they ran (or would have). */
  readonly results: readonly MigrationResult[]
  readonly warnings: readonly string[]
  /** Why this database did not finish: the failed migration's error, or a failure before any migration ran. */
  readonly error?: AshSqliteError
}

export interface MigrationRunResult {
  /** True when no database has an error. */
  readonly ok: boolean
  readonly direction: MigrationDirection
  readonly dryRun: boolean
  readonly databases: readonly DatabaseRunResult[]
}

export type MigrateRunResult = MigrationRunResult
export type RollbackRunResult = MigrationRunResult

interface EventBase {
  readonly repo: string
  readonly database: string
}

/**
 * Progress of a run, as it happens. The events every command over databases has (DatabaseEvent:
 * `database_started`, `waiting_for_lock`, `database_finished` with `done`/`total`), and per database in
 * between: for each planned migration `migration_started` when it starts, `migration_finished` once its
 * outcome is durable (after the COMMIT of the transaction it ran in, which holds several migrations), and
 * `warning`s. A database the run could not even start on (an unusable URL, a fleet whose `databases()`
 * failed) gets only `database_finished`.
 */
export type MigratorEvent =
  | Exclude<DatabaseEvent<DatabaseRunResult>, { type: 'database_started' }>
  | (Extract<DatabaseEvent<DatabaseRunResult>, { type: 'database_started' }> & {
      readonly direction: MigrationDirection
    })
  | (EventBase & {
      readonly type: 'migration_started'
      readonly migrationName: string
      readonly direction: MigrationDirection
      /** 0-based position in this database's plan, and the plan's length. */
      readonly index: number
      readonly total: number
    })
  | (EventBase & {
      readonly type: 'migration_finished'
      readonly result: MigrationResult
      readonly index: number
      readonly total: number
    })
  | (EventBase & { readonly type: 'warning'; readonly message: string })

export interface RunOptions extends DatabaseSelection {
  /**
   * Databases worked on at once (default `defaultConcurrency`, 8). A run over 16 or more `file:`
   * databases works on them in worker threads (at most one per CPU core; @libsql/client's file access
   * is synchronous, so one thread would do one database at a time whatever this says).
   */
  readonly concurrency?: number | undefined
  /** How long to wait for another process's lock, for reads and writes alike (default 5 minutes). */
  readonly lockTimeoutMs?: number | undefined
  /**
   * Migrations of one database run in one write transaction, each atomic on its own (a savepoint), so a
   * run pays for one durable commit instead of one per migration. Once a transaction has been open this
   * long, it is committed at the next migration boundary and the run goes on in a new one (default 2000
   * ms): this bounds what a killed process loses, and keeps a transaction under sqld's 5 s timeout.
   */
  readonly maxTransactionMs?: number | undefined
  readonly onEvent?: ((event: MigratorEvent) => void) | undefined
}

/** A D1 repo is reached through a binding, not a URL (see src/d1). */
export interface D1RunOptions {
  /** A D1 binding (`env.DB`): the run applies to it, for the one D1 repo named by `repo`. */
  readonly d1?: D1DatabaseLike | undefined
  /** Apply to the local D1 state `wrangler dev` uses (through Miniflare), for the one D1 repo named by `repo`. */
  readonly local?: boolean | undefined
}

export interface MigrateOptions extends RunOptions, D1RunOptions {
  /** Apply only the next N pending migrations. */
  readonly step?: number | undefined
  /** Apply pending migrations up to and including this one (a folder name or a prefix of exactly one). */
  readonly to?: string | undefined
  /** Report what would run, change nothing (not even the tracking table). */
  readonly dryRun?: boolean | undefined
  /** Migrate even though applied migrations were edited (their hash changed). */
  readonly allowChanged?: boolean | undefined
}

export interface RollbackOptions extends RunOptions, D1RunOptions {
  /** Roll back the newest N applied migrations (default 1). */
  readonly step?: number | undefined
  /** Roll back every applied migration newer than this one; it stays applied. */
  readonly to?: string | undefined
  /** Roll back every applied migration. */
  readonly all?: boolean | undefined
  readonly dryRun?: boolean | undefined
}

export interface StatusOptions extends DatabaseSelection, D1RunOptions {
  readonly concurrency?: number | undefined
  /** How long to wait for another process's lock before a database counts as unreadable (default 5 minutes). */
  readonly lockTimeoutMs?: number | undefined
  /** Progress, as each database starts and is read (`database_finished` carries `done`/`total`). */
  readonly onEvent?: ((event: StatusEvent) => void) | undefined
}

export type StatusEvent = DatabaseEvent<DatabaseStatus>

export interface MigrationStatusEntry {
  readonly name: string
  readonly state: MigrationState
  /** When the tracking row says it was applied (ISO time); absent for unapplied and for legacy rows. */
  readonly appliedAt?: string
}

export interface DatabaseStatus {
  readonly repo: string
  readonly database: string
  readonly url: string
  readonly migrations: readonly MigrationStatusEntry[]
  readonly warnings: readonly string[]
  /**
   * False when the database is a `file:` database whose file does not exist (its migrations are listed as
   * pending, but nothing can be applied to it until `migrate` or `create` makes it). Absent when unknown
   * (the database could not be resolved or read).
   */
  readonly exists?: boolean
  readonly error?: AshSqliteError
}

export interface StatusRunResult {
  /** True when every database could be read (changed or missing migrations do not make it false). */
  readonly ok: boolean
  readonly databases: readonly DatabaseStatus[]
  /**
   * Per repo, tables that merged branches changed in ways that do not commute (`conflict`): each names the
   * table, both migrations and the ones to `ash-sqlite rebase`. Empty when there is none.
   */
  readonly conflicts: readonly ForkConflict[]
}
