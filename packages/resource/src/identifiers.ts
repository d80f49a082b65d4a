/**
 * SQL identifiers. Every table, column, index, constraint and statement name ends up in DDL; a name that is
 * not a plain identifier is rejected instead of being quoted "cleverly", so what users read in a migration
 * is exactly what they wrote.
 */

const PLAIN_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/

/** True for names SQLite accepts unquoted (ASCII letters, digits and `_`, not starting with a digit). */
export function isPlainIdentifier(name: unknown): name is string {
  return typeof name === 'string' && PLAIN_IDENTIFIER.test(name)
}

/** SQLite reserves `sqlite_*` for its own tables and indexes and refuses to create them. */
export function isReservedName(name: string): boolean {
  return name.toLowerCase().startsWith('sqlite_')
}

/**
 * `fullName` -> `full_name`, `userID` -> `user_id`, `HTTPServer` -> `http_server`, `address2Line` ->
 * `address2_line`. Already snake_case names are returned unchanged.
 */
export function snakeCase(name: string): string {
  return name
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
}
