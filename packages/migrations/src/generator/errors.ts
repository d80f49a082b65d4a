import { AshSqliteError } from '../errors.js'
import type { RenameAmbiguity } from './types.js'

/**
 * New tables or columns that might be renames, with nobody to ask (no TTY, CI). Exit code 2: the user
 * reruns with the flags the message lists. Nothing was written.
 */
export class RenameAmbiguityError extends AshSqliteError {
  override name = 'RenameAmbiguityError'
  readonly ambiguities: readonly RenameAmbiguity[]

  constructor(ambiguities: readonly RenameAmbiguity[]) {
    super('rename_ambiguity', describeAmbiguities(ambiguities), { exitCode: 2 })
    this.ambiguities = ambiguities
  }
}

/**
 * Declared renames (`renamedFrom`) one migration cannot express: renaming `name` to `full_name` while still
 * defining a `name`, or swapping names. The diff pairs entities by name, so it would alter the old entity in
 * place and leave the renamed one empty; refused instead. Nothing was written.
 */
export class RenameConflictError extends AshSqliteError {
  override name = 'RenameConflictError'
  readonly conflicts: readonly string[]

  constructor(repo: string, conflicts: readonly string[]) {
    super(
      'rename_conflict',
      `[${repo}] ${conflicts.join('; ')}. Nothing was written. Split it into two migrations: generate the ` +
        'rename first (through a temporary name for a swap), then add the new one; or remove renamedFrom if ' +
        'nothing was renamed.',
    )
    this.conflicts = conflicts
  }
}

/**
 * The generator cannot produce a correct migration (an inconsistent snapshot, a differ failure, a statement
 * it cannot split or recognise). `code` defaults to `generate_failed`; specific failures carry their own:
 * `unrecognised_drizzle_statement`, `statement_breakpoint_in_sql`, `unsplittable_custom_statement`.
 */
export class GenerateError extends AshSqliteError {
  override name = 'GenerateError'
  constructor(message: string, options: { cause?: unknown; code?: string } = {}) {
    super(options.code ?? 'generate_failed', message, { cause: options.cause })
  }
}

function describeAmbiguities(ambiguities: readonly RenameAmbiguity[]): string {
  const count = ambiguities.length === 1 ? 'one possible rename' : `${ambiguities.length} possible renames`
  const lines = ambiguities.map((ambiguity) => `  ${describeAmbiguity(ambiguity)}`)
  // Columns of a table are only compared once it is known which old table (if any) it continues.
  const later = ambiguities.some((ambiguity) => ambiguity.kind === 'table')
    ? '\nColumns of a table renamed by --rename-table are compared after that decision, so a rerun may ask about them.'
    : ''
  return (
    `Found ${count} and no terminal to ask (nothing was written). Rerun with the flag that says what you did:\n` +
    `${lines.join('\n')}\n` +
    `Or declare it in the resource, which every later generate sees too: ${renamedFromHint(ambiguities)}.\n` +
    `Or pass --no-renames to drop the old ones and create the new ones.${later}`
  )
}

export function describeAmbiguity(ambiguity: RenameAmbiguity): string {
  const flags = ambiguity.candidates.map((candidate) => candidate.flag).join('  or  ')
  const from = ambiguity.candidates.map((candidate) => candidate.from).join(', ')
  const dropped = `${from} ${ambiguity.candidates.length === 1 ? 'was' : 'were'} dropped`
  if (ambiguity.kind === 'table') return `[${ambiguity.repo}] table ${ambiguity.name} is new and ${dropped}: ${flags}`
  return `[${ambiguity.repo}] column ${ambiguity.table}.${ambiguity.name} is new and ${dropped}: ${flags}`
}

/** "attr.string({ renamedFrom: 'name' }) on users.full_name", for the first ambiguity of each kind. */
function renamedFromHint(ambiguities: readonly RenameAmbiguity[]): string {
  const column = ambiguities.find((ambiguity) => ambiguity.kind === 'column')
  const table = ambiguities.find((ambiguity) => ambiguity.kind === 'table')
  const hints: string[] = []
  if (column !== undefined) {
    const from = column.candidates[0]?.from ?? 'old_name'
    hints.push(`renamedFrom: '${from}' in the options of the attribute for ${column.table}.${column.name}`)
  }
  if (table !== undefined) {
    const from = table.candidates[0]?.from ?? 'old_table'
    hints.push(`sqlite: { table: '${table.name}', renamedFrom: '${from}' }`)
  }
  return hints.join('; ')
}

/**
 * The resources no longer define a table that a table they do define still references (a resource left out
 * of every domain, typically): dropping it would leave a foreign key pointing at nothing. Nothing was written.
 */
export class DroppedTableReferencedError extends AshSqliteError {
  override name = 'DroppedTableReferencedError'
  constructor(message: string) {
    super('dropped_table_referenced', message)
  }
}
