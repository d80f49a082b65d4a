import type { DatabaseStatus, MigrationProblem, MigrationState, StatusRunResult } from '../migrator/index.js'
import type { Printer } from './output.js'
import { databaseLabel, errorJson, plural, printColumns, printFleetSummaries, reportsInDetail } from './report.js'

export interface StatusReportOptions {
  /** `status --check`: exit 1 when anything is not applied, and list why. */
  readonly check: boolean
  readonly verbose: boolean
}

/**
 * Prints a table of migrations per database and returns the exit code: 1 when a database could not be read
 * or does not exist, and with `--check` also when any migration is not applied (pending, changed, missing,
 * out of order, in conflict). `problems` is `problemsOf(result)`, computed by the caller.
 */
export function printStatusResult(
  result: StatusRunResult,
  problems: readonly MigrationProblem[],
  printer: Printer,
  options: StatusReportOptions,
): number {
  printer.endProgress()
  const hasProblem = (database: DatabaseStatus) =>
    problems.some((problem) => problem.repo === database.repo && problem.database === database.database)
  for (const database of result.databases) {
    if (reportsInDetail(database, hasProblem(database), options.verbose)) printDatabaseStatus(database, printer)
  }
  printFleetSummaries(printer, result.databases, hasProblem, {
    verbose: options.verbose,
    okWord: 'up to date',
    failedWord: 'not up to date',
  })
  if (result.databases.length === 0) printer.line('No databases: the config has no repos.')
  const unreadable = result.databases.filter((database) => database.error !== undefined).length
  if (unreadable > 0) printer.error(`${plural(unreadable, 'database')} could not be read.`)
  for (const conflict of result.conflicts) {
    const rebase =
      conflict.rebase.length > 0
        ? ` Resolve with: ash-sqlite rebase ${conflict.rebase.join(' --with ')} --repo ${conflict.repo}`
        : ''
    printer.line(
      `${printer.colors.red('conflict')} ${conflict.repo}: table ${conflict.table}, migrations ${conflict.migrations.join(' and ')}: ${conflict.reason}.${rebase}`,
    )
  }
  const absent = result.databases.filter((database) => database.exists === false)
  if (absent.length > 0) {
    const which = absent.length === 1 ? `Database ${absent[0]?.url} does not` : `${absent.length} databases do not`
    printer.error(`${which} exist: ash-sqlite migrate creates and migrates it, or check the repo's url.`)
  }
  if (options.check) {
    const notApplied = problems.filter((problem) => problem.kind !== 'error' && problem.kind !== 'database_missing')
    if (notApplied.length > 0) {
      printer.error('Not migrated:')
      for (const problem of notApplied) printer.error(`  ${problem.message}`)
    } else if (problems.length === 0 && result.databases.length > 0) {
      printer.line(printer.colors.green('Every database is up to date.'))
    }
  }
  const ok = options.check ? problems.length === 0 : result.ok && absent.length === 0
  printer.printJson({
    ok,
    ...(options.check ? { check: { ok: problems.length === 0, problems } } : {}),
    conflicts: result.conflicts,
    databases: result.databases.map((database) => ({
      repo: database.repo,
      database: database.database,
      url: database.url,
      exists: database.exists ?? null,
      migrations: database.migrations.map((migration) => ({
        name: migration.name,
        state: migration.state,
        appliedAt: migration.appliedAt,
      })),
      warnings: database.warnings,
      error: errorJson(database.error),
    })),
  })
  return ok ? 0 : 1
}

function printDatabaseStatus(database: DatabaseStatus, printer: Printer): void {
  const { bold, dim, red } = printer.colors
  printer.line(`${bold(databaseLabel(database))} ${dim(database.url)}`)
  if (database.error !== undefined) {
    printer.line(red(`  ${database.error.message}`))
    return
  }
  if (database.exists === false) printer.line(red('  database does not exist'))
  if (database.migrations.length === 0) printer.line(dim('  no migrations'))
  printColumns(
    printer,
    database.migrations.map((migration) => [
      colourState(migration.state, printer),
      migration.name,
      dim(migration.appliedAt ?? ''),
    ]),
    '  ',
  )
  for (const warning of database.warnings) printer.warn(`${databaseLabel(database)}: ${warning}`)
  printer.line(`  ${countStates(database)}`)
}

const stateOrder: readonly MigrationState[] = ['applied', 'pending', 'out_of_order', 'changed', 'missing']

function countStates(database: DatabaseStatus): string {
  const states = [
    ...stateOrder,
    ...new Set(database.migrations.map((m) => m.state).filter((state) => !stateOrder.includes(state))),
  ]
  const counts = states
    .map((state) => [state, database.migrations.filter((migration) => migration.state === state).length] as const)
    .filter(([, count]) => count > 0)
    .map(([state, count]) => `${count} ${state.replace('_', ' ')}`)
  return counts.length === 0 ? '' : counts.join(', ')
}

function colourState(state: MigrationState, printer: Printer): string {
  const { green, red, yellow } = printer.colors
  const colours: Partial<Record<string, (text: string) => string>> = {
    applied: green,
    pending: yellow,
    out_of_order: yellow,
    changed: red,
    missing: red,
  }
  return (colours[state] ?? red)(state)
}
