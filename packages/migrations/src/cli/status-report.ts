import type { DatabaseStatus, MigrationState, StatusRunResult } from '../migrator/index.js'
import type { Printer } from './output.js'
import { databaseLabel, errorJson, plural, printColumns } from './report.js'

/** Prints a table of migrations per database and returns the exit code (1 when a database could not be read). */
export function printStatusResult(result: StatusRunResult, printer: Printer): number {
  printer.endProgress()
  for (const database of result.databases) printDatabaseStatus(database, printer)
  if (result.databases.length === 0) printer.line('No databases: the config has no repos.')
  const failed = result.databases.filter((database) => database.error !== undefined).length
  if (failed > 0) printer.error(`${plural(failed, 'database')} could not be read.`)
  for (const conflict of result.conflicts) {
    const rebase =
      conflict.rebase.length > 0
        ? ` Resolve with: ash-sqlite rebase ${conflict.rebase.join(' --with ')} --repo ${conflict.repo}`
        : ''
    printer.line(
      `${printer.colors.red('conflict')} ${conflict.repo}: table ${conflict.table}, migrations ${conflict.migrations.join(' and ')}: ${conflict.reason}.${rebase}`,
    )
  }
  printer.printJson({
    ok: result.ok,
    conflicts: result.conflicts,
    databases: result.databases.map((database) => ({
      repo: database.repo,
      database: database.database,
      url: database.url,
      migrations: database.migrations.map((migration) => ({
        name: migration.name,
        state: migration.state,
        appliedAt: migration.appliedAt,
      })),
      warnings: database.warnings,
      error: errorJson(database.error),
    })),
  })
  return result.ok ? 0 : 1
}

function printDatabaseStatus(database: DatabaseStatus, printer: Printer): void {
  const { bold, dim, red } = printer.colors
  printer.line(`${bold(databaseLabel(database))} ${dim(database.url)}`)
  if (database.error !== undefined) {
    printer.line(red(`  ${database.error.message}`))
    return
  }
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
  const counts = stateOrder
    .map((state) => [state, database.migrations.filter((migration) => migration.state === state).length] as const)
    .filter(([, count]) => count > 0)
    .map(([state, count]) => `${count} ${state.replace('_', ' ')}`)
  return counts.length === 0 ? '' : counts.join(', ')
}

function colourState(state: MigrationState, printer: Printer): string {
  const { green, red, yellow } = printer.colors
  const colour = { applied: green, pending: yellow, out_of_order: yellow, changed: red, missing: red }[state]
  return colour(state)
}
