import type { DriftRunResult } from '../drift/drift.js'
import type { SchemaDifference } from '../introspect/schema-diff.js'
import type { Printer } from './output.js'
import { databaseLabel, errorJson, plural } from './report.js'

/** Prints each database's drift and returns the exit code: 1 when any database drifted or could not be read. */
export function printDriftResult(result: DriftRunResult, printer: Printer): number {
  const { bold, dim, green, red, yellow } = printer.colors
  for (const database of result.databases) {
    const label = `${bold(databaseLabel(database))} ${dim(database.url)}`
    if (database.error !== undefined) {
      printer.line(`${label} ${red('error')}`)
      printer.line(red(`  ${database.error.message}`))
    } else if (database.differences.length === 0) {
      printer.line(`${label} ${green('no drift')}`)
    } else {
      printer.line(`${label} ${yellow(`drifted: ${plural(database.differences.length, 'difference')}`)}`)
      for (const difference of database.differences) printer.line(`  ${describeDifference(difference)}`)
    }
  }
  const drifted = result.databases.filter((database) => database.differences.length > 0).length
  const failed = result.databases.filter((database) => database.error !== undefined).length
  if (result.databases.length === 0) printer.line('No databases: the config has no repos.')
  else
    printer.line(
      bold(
        `${plural(drifted, 'database')} drifted of ${result.databases.length}${failed > 0 ? `, ${failed} could not be read` : ''}.`,
      ),
    )
  printer.printJson({
    ok: result.ok,
    drifted: result.drifted,
    databases: result.databases.map((database) => ({
      repo: database.repo,
      database: database.database,
      url: database.url,
      drifted: database.differences.length > 0,
      applied: database.applied,
      differences: database.differences,
      error: errorJson(database.error),
    })),
  })
  return result.ok && !result.drifted ? 0 : 1
}

const CHANGE_WORDS: Record<SchemaDifference['change'], string> = {
  missing: 'missing from the database',
  unexpected: 'not made by any migration',
  changed: 'differs',
}

export function describeDifference(difference: SchemaDifference): string {
  const detail =
    difference.change === 'changed'
      ? `: expected ${oneLine(difference.expected)}, found ${oneLine(difference.actual)}`
      : difference.change === 'missing' && difference.expected !== undefined
        ? ` (${oneLine(difference.expected)})`
        : difference.actual !== undefined
          ? ` (${oneLine(difference.actual)})`
          : ''
  return `${difference.kind} ${difference.name} ${CHANGE_WORDS[difference.change]}${detail}`
}

function oneLine(text: string | undefined): string {
  const flat = (text ?? '').replace(/\s+/g, ' ').trim()
  return flat.length > 100 ? `${flat.slice(0, 97)}...` : flat
}
