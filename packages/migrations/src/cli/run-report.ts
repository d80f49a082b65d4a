import type { DatabaseRunResult, MigrationResult, MigrationRunResult, MigratorEvent } from '../migrator/index.js'
import type { Printer } from './output.js'
import {
  databaseLabel,
  databaseProgress,
  errorJson,
  plural,
  printColumns,
  printFleetSummaries,
  reportsInDetail,
} from './report.js'

/**
 * Progress of `migrate`/`rollback` for a terminal: one line, rewritten as migrations start and databases
 * finish. The report itself is printed from the result at the end, in a stable order whatever the
 * concurrency.
 */
export function migratorProgress(printer: Printer): (event: MigratorEvent) => void {
  let finished = ''
  const common = databaseProgress(printer, 'databases')
  return (event) => {
    if (event.type === 'waiting_for_lock') common(event)
    if (event.type === 'database_finished') {
      if (event.total > 1) {
        finished = ` (${event.done}/${event.total} databases done${event.failed === 0 ? '' : `, ${event.failed} failed`})`
      }
      return
    }
    if (event.type !== 'migration_started') return
    printer.progress(
      `${databaseLabel(event)}: ${event.direction} ${event.index + 1}/${event.total} ${event.migrationName}${finished}`,
    )
  }
}

/** Prints the report of `migrate` or `rollback` and returns the exit code (1 when any database failed). */
export function printRunResult(
  result: MigrationRunResult,
  printer: Printer,
  options: { verbose?: boolean } = {},
): number {
  printer.endProgress()
  const verbose = options.verbose ?? false
  const failed = (database: DatabaseRunResult) => database.error !== undefined
  for (const database of result.databases) {
    if (reportsInDetail(database, failed(database), verbose)) printDatabase(database, result, printer)
  }
  printFleetSummaries(printer, result.databases, failed, { verbose })
  printSummary(result, printer)
  printer.printJson(runJson(result))
  return result.ok ? 0 : 1
}

function printDatabase(database: DatabaseRunResult, run: MigrationRunResult, printer: Printer): void {
  const { bold, dim, red } = printer.colors
  printer.line(`${bold(databaseLabel(database))} ${dim(database.url)}`)
  printColumns(
    printer,
    database.results.map((migration) => migrationRow(migration, run.dryRun, printer)),
    '  ',
  )
  for (const migration of database.results) {
    if (run.dryRun && migration.statements !== undefined) {
      for (const statement of migration.statements) printer.line(dim(indent(statement, '      ')))
    }
  }
  const failedMigration = database.results.find((migration) => migration.status === 'error')
  if (database.error !== undefined) printer.line(red(indent(database.error.message, '  ')))
  else if (failedMigration?.error !== undefined) printer.line(red(indent(failedMigration.error.message, '  ')))
  for (const warning of database.warnings) printer.warn(`${databaseLabel(database)}: ${warning}`)
  printer.line(`  ${databaseSummary(database, run)}`)
}

function migrationRow(migration: MigrationResult, dryRun: boolean, printer: Printer): string[] {
  const { dim, green, red, yellow } = printer.colors
  const mark = {
    success: green('✓'),
    error: red('✗'),
    not_executed: dim('•'),
    skipped: yellow('-'),
  }[migration.status]
  const outcome = {
    success: formatDuration(migration.durationMs),
    error: red('failed'),
    not_executed: dryRun ? 'would run' : dim('not run'),
    skipped: yellow('already done by another process'),
  }[migration.status]
  return [mark, migration.migrationName, migration.direction, outcome]
}

function databaseSummary(database: DatabaseRunResult, run: MigrationRunResult): string {
  const done = database.results.filter((migration) => migration.status === 'success')
  const verb = run.direction === 'up' ? 'applied' : 'rolled back'
  if (database.error !== undefined) return `failed after ${done.length} ${verb}`
  if (database.results.length === 0) return run.direction === 'up' ? 'up to date' : 'nothing to roll back'
  if (run.dryRun) return `${plural(database.results.length, 'migration')} would be ${verb} (dry run)`
  const ms = done.reduce((total, migration) => total + migration.durationMs, 0)
  return `${done.length} ${verb} in ${formatDuration(ms)}`
}

function formatDuration(ms: number): string {
  if (ms < 1) return '<1 ms'
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`
}

function printSummary(run: MigrationRunResult, printer: Printer): void {
  const failed = run.databases.filter((database) => database.error !== undefined).length
  if (run.databases.length === 0) printer.line('No databases: the config has no repos.')
  if (run.databases.length > 1) {
    printer.line(
      printer.colors.bold(
        `${plural(run.databases.length, 'database')}: ${run.databases.length - failed} ok, ${failed} failed`,
      ),
    )
  }
  if (failed > 0) printer.error(`${plural(failed, 'database')} failed: rerun to continue after fixing the cause.`)
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => `${prefix}${line}`)
    .join('\n')
}

function runJson(run: MigrationRunResult) {
  return {
    ok: run.ok,
    direction: run.direction,
    dryRun: run.dryRun,
    databases: run.databases.map((database) => ({
      repo: database.repo,
      database: database.database,
      url: database.url,
      results: database.results.map((migration) => ({
        migrationName: migration.migrationName,
        direction: migration.direction,
        status: migration.status,
        durationMs: migration.durationMs,
        error: errorJson(migration.error),
        statementIndex: migration.statementIndex,
        statement: migration.statement,
        statements: migration.statements,
      })),
      warnings: database.warnings,
      error: errorJson(database.error),
    })),
  }
}
