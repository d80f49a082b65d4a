/**
 * The D1 applier: `migrate`, `rollback` and `status` of one repo over a D1 binding. Pure (no `node:`
 * imports): it runs inside a Worker as well as in Node (through Miniflare for `--local`).
 *
 * D1 refuses BEGIN/COMMIT/SAVEPOINT; its unit of atomicity is `batch()`. So each migration is ONE batch:
 *  1. a guard that fails the batch when the tracking table already says the work is done (another migrator
 *     got there first; D1 runs batches one at a time, so the second one sees the first one's row). It is a
 *     throwaway table whose named CHECK constraint fails, the only assertion D1 accepts outside a trigger;
 *  2. the migration's statements, as written in migration.sql / down.sql;
 *  3. the tracking row, inserted (up) or deleted (down) in drizzle 1.0's `__drizzle_migrations` shape, so
 *     drizzle-orm's D1 migrator and this one can take turns.
 * A failing statement rolls the whole batch back: the database stays at the previous migration.
 *
 * A database migrated by `wrangler d1 migrations apply` (its `d1_migrations` table) is adopted: migrations
 * recorded there are recorded in `__drizzle_migrations` too, without running anything.
 */
import { AshSqliteError } from '../errors.js'
import { describeMigrations, unnamedRows } from '../migrator/migration-state.js'
import type { MigrationFolder } from '../migrator/migration-text.js'
import { timestampMillis } from '../migrator/migration-text.js'
import type { PlannedMigration } from '../migrator/plan.js'
import type { Planner, Strategy } from '../migrator/strategy.js'
import {
  type AppliedMigration,
  ensureTrackingTable,
  readAppliedMigrations,
  trackingTable,
  trackingTableState,
} from '../migrator/tracking-table.js'
import type {
  DatabaseRunResult,
  DatabaseStatus,
  MigrationResult,
  MigrationStatusEntry,
  MigratorEvent,
} from '../migrator/types.js'
import { type D1DatabaseLike, prepareD1, queryD1 } from './binding.js'
import { D1MigrationFailedError, D1OrphanedRowsError, D1UnsupportedStatementError } from './errors.js'
import { failedRebuildAssertion, quoteIdentifier } from './rebuild.js'

/** One D1 database a run works on. */
export interface D1Target {
  readonly repo: string
  /** The name in reports (the binding's name, or the repo's). */
  readonly database: string
  /** How it shows in reports, e.g. `d1:DB` or `d1:DB (local)`. */
  readonly url: string
  readonly d1: D1DatabaseLike
}

const wranglerTable = 'd1_migrations'
const guardTable = '__ash_sqlite_guard'
const guardConstraint = 'ash_sqlite_already_done'

/** The migrator's SqlRunner over a D1 binding, so the tracking-table code is shared with libSQL. */
function runnerOf(d1: D1DatabaseLike) {
  return {
    query: (sql: string, args: readonly unknown[] = []) => queryD1(d1, sql, args),
  } as unknown as Parameters<typeof readAppliedMigrations>[0]
}

/** Applies or rolls back one repo's migrations on one D1 database; every failure is data in the result. */
export async function runOnD1(
  target: D1Target,
  folders: readonly MigrationFolder[],
  strategy: Strategy,
  planner: Planner,
  emit: (event: MigratorEvent) => void = () => {},
): Promise<DatabaseRunResult> {
  const identity = { repo: target.repo, database: target.database }
  const results: MigrationResult[] = []
  const warnings: string[] = []
  const warn = (message: string): void => {
    warnings.push(message)
    emit({ type: 'warning', ...identity, message })
  }
  let error: AshSqliteError | undefined
  try {
    const runner = runnerOf(target.d1)
    if (!strategy.dryRun) {
      const state = await trackingTableState(runner)
      const create = strategy.direction === 'up'
      if (state === 'outdated' || (state === 'absent' && create)) await ensureTrackingTable(runner, folders, { create })
    }
    let applied = await readAppliedMigrations(runner, folders)
    const adoptable = await wranglerApplied(target.d1, folders, applied)
    if (adoptable.length > 0) {
      if (strategy.dryRun) applied = [...applied, ...adoptable.map(asApplied)]
      else {
        await adopt(target.d1, adoptable)
        applied = await readAppliedMigrations(runner, folders)
      }
      warn(
        `Adopted ${adoptable.length} migration(s) that wrangler applied (recorded in ${wranglerTable}): ${adoptable.map((folder) => folder.name).join(', ')}.`,
      )
    }
    for (const row of unnamedRows(applied))
      warn(`Tracking row id ${row.id} of ${trackingTable} has no name and is ignored.`)
    const plan = planner(describeMigrations(folders, applied))
    for (const message of plan.warnings) warn(message)
    const total = plan.steps.length
    for (const [index, step] of plan.steps.entries()) {
      if (strategy.dryRun || error !== undefined) {
        results.push({
          migrationName: step.folder.name,
          direction: step.direction,
          status: 'not_executed',
          durationMs: 0,
          ...(strategy.dryRun ? { statements: [...step.statements] } : {}),
        })
        continue
      }
      emit({
        type: 'migration_started',
        ...identity,
        migrationName: step.folder.name,
        direction: step.direction,
        index,
        total,
      })
      const result = await runStep(target.d1, step)
      if (result.error !== undefined) error = result.error
      results.push(result)
      emit({ type: 'migration_finished', ...identity, result, index, total })
    }
  } catch (caught) {
    error = asAshSqliteError(caught, target)
  }
  return { ...identity, url: target.url, results, warnings, ...(error === undefined ? {} : { error }) }
}

/** Per migration: applied, pending, changed, missing or out of order. Read-only (adoptable ones show as applied). */
export async function statusOfD1(target: D1Target, folders: readonly MigrationFolder[]): Promise<DatabaseStatus> {
  const identity = { repo: target.repo, database: target.database, url: target.url }
  try {
    const applied = await readAppliedMigrations(runnerOf(target.d1), folders)
    const adoptable = await wranglerApplied(target.d1, folders, applied)
    const migrations = describeMigrations(folders, [...applied, ...adoptable.map(asApplied)]).map(
      (entry): MigrationStatusEntry => ({
        name: entry.name,
        state: entry.state,
        ...(entry.applied?.appliedAt ? { appliedAt: entry.applied.appliedAt } : {}),
      }),
    )
    const warnings = [
      ...unnamedRows(applied).map((row) => `Tracking row id ${row.id} of ${trackingTable} has no name and is ignored.`),
      ...(adoptable.length > 0
        ? [
            `${adoptable.length} migration(s) were applied by wrangler (${wranglerTable}); the next migrate records them in ${trackingTable} without running them.`,
          ]
        : []),
    ]
    return { ...identity, migrations, warnings }
  } catch (caught) {
    return { ...identity, migrations: [], warnings: [], error: asAshSqliteError(caught, target) }
  }
}

/** The statements of one migration's batch: guard, the file's statements, tracking row. */
export function migrationBatch(step: PlannedMigration, appliedAt: Date): { sql: string; args: unknown[] }[] {
  for (const statement of step.statements) assertRunsOnD1(step.folder.name, statement)
  const name = step.folder.name
  const guard = quoteIdentifier(guardTable)
  const recorded = `EXISTS (SELECT 1 FROM "${trackingTable}" WHERE "name" = ?)`
  return [
    { sql: `CREATE TABLE ${guard} ("ok" INTEGER NOT NULL, CONSTRAINT "${guardConstraint}" CHECK ("ok"))`, args: [] },
    { sql: `INSERT INTO ${guard} ("ok") SELECT ${step.direction === 'up' ? 'NOT ' : ''}${recorded}`, args: [name] },
    { sql: `DROP TABLE ${guard}`, args: [] },
    ...step.statements.map((sql) => ({ sql, args: [] })),
    step.direction === 'up'
      ? {
          sql: `INSERT INTO "${trackingTable}" ("hash", "created_at", "name", "applied_at") VALUES (?, ?, ?, ?)`,
          args: [step.folder.hash, timestampMillis(step.folder.timestamp), name, appliedAt.toISOString()],
        }
      : { sql: `DELETE FROM "${trackingTable}" WHERE "name" = ?`, args: [name] },
  ]
}

async function runStep(d1: D1DatabaseLike, step: PlannedMigration): Promise<MigrationResult> {
  const started = Date.now()
  const base = { migrationName: step.folder.name, direction: step.direction }
  const elapsed = () => Date.now() - started
  let batch: { sql: string; args: unknown[] }[]
  try {
    batch = migrationBatch(step, new Date())
  } catch (caught) {
    return { ...base, status: 'error', durationMs: elapsed(), error: caught as AshSqliteError }
  }
  try {
    await d1.batch(batch.map((statement) => prepareD1(d1, statement.sql, statement.args)))
    return { ...base, status: 'success', durationMs: elapsed() }
  } catch (caught) {
    const message = caught instanceof Error ? caught.message : String(caught)
    if (message.includes(guardConstraint)) return { ...base, status: 'skipped', durationMs: elapsed() }
    const assertion = failedRebuildAssertion(message)
    const error =
      assertion === null
        ? new D1MigrationFailedError(step.folder.name, step.direction, message, { cause: caught })
        : assertion.kind === 'orphans'
          ? new D1OrphanedRowsError(step.folder.name, step.direction, assertion.table, { cause: caught })
          : new D1MigrationFailedError(
              step.folder.name,
              step.direction,
              `rebuilding table ${assertion.table} would not keep all its rows`,
              { cause: caught },
            )
    return { ...base, status: 'error', durationMs: elapsed(), error }
  }
}

/**
 * D1 refuses transaction control, and `PRAGMA foreign_keys=OFF` does nothing there: a migration holding it
 * was written for SQLite, and its table rebuilds would delete or null child rows on D1. Refused before
 * anything runs.
 */
function assertRunsOnD1(migrationName: string, statement: string): void {
  const text = statement.replace(/^\s*--.*$/gm, '').trim()
  if (/^(?:BEGIN|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE)\b/i.test(text) || /^PRAGMA\s+foreign_keys\b/i.test(text)) {
    throw new D1UnsupportedStatementError(migrationName, statement)
  }
}

/** Folders wrangler recorded in `d1_migrations` that `__drizzle_migrations` does not know yet. */
async function wranglerApplied(
  d1: D1DatabaseLike,
  folders: readonly MigrationFolder[],
  applied: readonly AppliedMigration[],
): Promise<MigrationFolder[]> {
  const exists = await queryD1(d1, `SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`, [wranglerTable])
  if (exists.length === 0) return []
  const rows = await queryD1(d1, `SELECT "name" FROM "${wranglerTable}" ORDER BY "id"`)
  const recorded = new Set(applied.map((row) => row.name))
  const names = rows.map((row) => String(row.name))
  return folders.filter(
    (folder) => !recorded.has(folder.name) && names.some((name) => wranglerNameMatches(name, folder.name)),
  )
}

/**
 * wrangler records the file it ran: the folder name with drizzle's layout (`<folder>/migration.sql`, or just
 * `<folder>` depending on its version and `migrations_pattern`), or `<folder>.sql` in a flat layout.
 */
export function wranglerNameMatches(recorded: string, folder: string): boolean {
  const normalized = recorded.replace(/\\/g, '/').replace(/^\.?\//, '')
  return normalized === folder || normalized === `${folder}.sql` || normalized.startsWith(`${folder}/`)
}

async function adopt(d1: D1DatabaseLike, folders: readonly MigrationFolder[]): Promise<void> {
  const now = new Date().toISOString()
  await d1.batch(
    folders.map((folder) =>
      prepareD1(
        d1,
        `INSERT INTO "${trackingTable}" ("hash", "created_at", "name", "applied_at") SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM "${trackingTable}" WHERE "name" = ?)`,
        [folder.hash, timestampMillis(folder.timestamp), folder.name, now, folder.name],
      ),
    ),
  )
}

function asApplied(folder: MigrationFolder): AppliedMigration {
  return { id: 0, name: folder.name, hash: folder.hash, createdAt: timestampMillis(folder.timestamp), appliedAt: null }
}

function asAshSqliteError(caught: unknown, target: D1Target): AshSqliteError {
  if (caught instanceof AshSqliteError) return caught
  const message = caught instanceof Error ? caught.message : String(caught)
  return new AshSqliteError('database_error', `D1 database ${target.database} (${target.url}): ${message}`, {
    cause: caught,
  })
}
