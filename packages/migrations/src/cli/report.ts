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

/**
 * Progress over many databases, as a counter line on a terminal ("migrate 3/120 tenants/t3").
 * Nothing is shown for a single database, where the final report comes right after.
 */
export function databaseProgress(printer: Printer, verb: string): (done: { repo: string; database: string }) => void {
  let count = 0
  return (done) => {
    count++
    printer.progress(`${verb}: ${count} done, last ${databaseLabel(done)}`)
  }
}
