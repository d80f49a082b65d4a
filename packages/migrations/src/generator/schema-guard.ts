import type { TableState } from '@ash-sqlite/resource'
import { GenerateError } from './errors.js'

/**
 * drizzle-kit's `generateDrizzleJson` calls `process.exit(1)` on a schema it finds inconsistent (duplicate
 * names, a table without columns). Those cases are caught here first, as an error that names the tables and
 * says what to change. Index names are the one cross-table case: SQLite keeps them in one namespace.
 * STRICT tables are checked too: SQLite would only reject their column types when the migration runs.
 */
export function assertDiffable(states: Iterable<TableState>): void {
  const tables = new Set<string>()
  const indexOwners = new Map<string, string>()
  for (const state of states) {
    if (tables.has(state.table)) fail(`table ${state.table} is defined twice`)
    tables.add(state.table)
    if (state.columns.length === 0) fail(`table ${state.table} has no columns; give its resource an attribute`)
    if (state.strict) assertStrictTypes(state)
    assertUnique(
      state.columns.map((column) => column.source),
      (name) => `table ${state.table} has two columns named ${name}`,
    )
    assertUnique(
      state.columns.flatMap((column) => (column.references?.name == null ? [] : [column.references.name])),
      (name) => `table ${state.table} has two foreign keys named ${name}; change one of the references' names`,
    )
    const indexNames = [
      ...state.identities.map((identity) => identity.indexName),
      ...state.customIndexes.map((index) => index.name),
    ]
    for (const name of indexNames) {
      const owner = indexOwners.get(name)
      if (owner !== undefined) {
        const where = owner === state.table ? `twice in table ${owner}` : `by tables ${owner} and ${state.table}`
        fail(
          `index name ${name} is used ${where}; SQLite index names are unique per database: ` +
            'rename one (identityIndexNames, or the custom index name)',
        )
      }
      indexOwners.set(name, state.table)
    }
  }
}

/** The only column types a STRICT table accepts; anything else fails when the migration runs. */
const STRICT_TYPES = new Set(['INT', 'INTEGER', 'REAL', 'TEXT', 'BLOB', 'ANY'])

function assertStrictTypes(state: TableState): void {
  for (const column of state.columns) {
    const base = column.type.trim().split(/\s+/)[0]?.toUpperCase() ?? ''
    if (STRICT_TYPES.has(base)) continue
    fail(
      `column ${state.table}.${column.source} has type ${column.type}, which a STRICT table does not accept ` +
        '(int, integer, real, text, blob or any): change its migrationTypes entry, or drop strict',
    )
  }
}

function assertUnique(names: readonly string[], message: (name: string) => string): void {
  const seen = new Set<string>()
  for (const name of names) {
    if (seen.has(name)) fail(message(name))
    seen.add(name)
  }
}

function fail(problem: string): never {
  throw new GenerateError(`Cannot generate a migration: ${problem}.`)
}
