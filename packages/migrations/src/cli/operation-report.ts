import type { DatabaseOperationResult, DatabaseOperationRunResult } from '../database/index.js'
import type { Printer } from './output.js'
import { databaseLabel, errorJson, plural, printColumns, printFleetSummaries, reportsInDetail } from './report.js'

/** Prints the result of `create` or `drop` (a line per database, then a summary) and returns the exit code. */
export function printOperationResult(
  result: DatabaseOperationRunResult,
  printer: Printer,
  options: { verbose?: boolean } = {},
): number {
  printer.endProgress()
  const verbose = options.verbose ?? false
  const failed = (database: DatabaseOperationResult) => database.status === 'error'
  const { dim, green, red, yellow } = printer.colors
  const colour = { created: green, dropped: green, exists: dim, absent: dim, unsupported: yellow, error: red }
  printColumns(
    printer,
    result.databases
      .filter((database) => reportsInDetail(database, failed(database), verbose))
      .map((database) => [
        colour[database.status](database.status),
        databaseLabel(database),
        dim(database.url),
        detailOf(database),
      ]),
  )
  printFleetSummaries(printer, result.databases, failed, { verbose })
  if (result.databases.length === 0) printer.line('No databases: the config has no repos.')
  const failures = result.databases.filter(failed).length
  if (failures > 0) printer.error(`${plural(failures, 'database')} failed.`)
  printer.printJson({
    ok: result.ok,
    databases: result.databases.map((database) => ({
      repo: database.repo,
      database: database.database,
      url: database.url,
      status: database.status,
      message: database.message,
      error: errorJson(database.error),
    })),
  })
  return result.ok ? 0 : 1
}

function detailOf(database: DatabaseOperationResult): string {
  return database.error?.message ?? database.message ?? ''
}
