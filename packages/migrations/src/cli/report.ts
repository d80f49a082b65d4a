import type { Printer } from './output.js'

/** `main` for a single-database repo, `tenants/t1` for a member of a fleet. */
export function databaseLabel(result: { repo: string; database: string }): string {
  return result.repo === result.database ? result.repo : `${result.repo}/${result.database}`
}

/** An error as the JSON output carries it: stable code and message, nothing else (no stack, no cause). */
export function errorJson(error: unknown): { code: string; message: string } | undefined {
  if (error === undefined) return undefined
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code
    return { code: typeof code === 'string' ? code : 'unexpected_error', message: error.message }
  }
  return { code: 'unexpected_error', message: String(error) }
}

/** Prints rows as left-aligned columns separated by two spaces (colour codes are not counted). */
export function printColumns(printer: Printer, rows: readonly (readonly string[])[], indent = ''): void {
  const widths: number[] = []
  for (const row of rows) {
    row.forEach((cell, index) => {
      widths[index] = Math.max(widths[index] ?? 0, visibleLength(cell))
    })
  }
  for (const row of rows) {
    const cells = row.map((cell, index) =>
      index === row.length - 1 ? cell : cell + ' '.repeat((widths[index] ?? 0) - visibleLength(cell)),
    )
    printer.line(`${indent}${cells.join('  ')}`.trimEnd())
  }
}

function visibleLength(text: string): number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching terminal colour codes is the point.
  return text.replace(/\u001B\[[0-9;]*m/g, '').length
}

/** "1 database" / "3 databases". */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}

/** The events of every command over databases that a progress line shows (see database/for-each-database.ts). */
export type ProgressEvent =
  | {
      readonly type: 'database_finished'
      readonly repo: string
      readonly database: string
      readonly done: number
      readonly total: number
    }
  | { readonly type: 'waiting_for_lock'; readonly repo: string; readonly database: string }
  | { readonly type: string }

/**
 * Progress over databases, as one line on a terminal (stderr, rewritten): "create 3/120 done, last
 * tenants/t3", and "main: waiting for the write lock held by another process..." while a database's lock
 * is held by someone else. Events other than these are left to the caller.
 */
export function databaseProgress(printer: Printer, verb: string): (event: ProgressEvent) => void {
  return (event) => {
    if (isEvent(event, 'waiting_for_lock')) {
      printer.progress(`${databaseLabel(event)}: waiting for the write lock held by another process...`)
    } else if (isEvent(event, 'database_finished')) {
      printer.progress(`${verb} ${event.done}/${event.total} done, last ${databaseLabel(event)}`)
    }
  }
}

/**
 * Whether a database gets its own lines in a report. A repo's single database always does; the members of a
 * fleet only when something went wrong with them (or with `--verbose`), so 300 tenants do not print 900 lines.
 */
export function reportsInDetail(
  database: { repo: string; database: string },
  failed: boolean,
  verbose: boolean,
): boolean {
  return verbose || failed || database.repo === database.database
}

/**
 * One line per fleet repo: "tenants: 300 databases, 298 ok, 2 failed". `failed` decides per database;
 * `hidden` is how many were left out of the detailed report (said, with how to see them).
 */
export function printFleetSummaries<T extends { repo: string; database: string }>(
  printer: Printer,
  databases: readonly T[],
  failed: (database: T) => boolean,
  options: { verbose: boolean; okWord?: string; failedWord?: string },
): void {
  const fleets = new Map<string, T[]>()
  for (const database of databases) {
    if (database.repo === database.database) continue
    fleets.set(database.repo, [...(fleets.get(database.repo) ?? []), database])
  }
  const { bold, red } = printer.colors
  for (const [repo, members] of fleets) {
    const failures = members.filter(failed).length
    const hidden = options.verbose ? 0 : members.length - failures
    const failedText = failures === 0 ? '' : `, ${red(`${failures} ${options.failedWord ?? 'failed'}`)}`
    const hiddenText = hidden === 0 ? '' : ` (${hidden} not listed: --verbose lists every database)`
    printer.line(
      bold(
        `${repo}: ${plural(members.length, 'database')}, ${members.length - failures} ${options.okWord ?? 'ok'}${failedText}`,
      ) + hiddenText,
    )
  }
}

function isEvent<Type extends 'database_finished' | 'waiting_for_lock'>(
  event: ProgressEvent,
  type: Type,
): event is Extract<ProgressEvent, { type: Type }> {
  return event.type === type
}
