/**
 * SQL type names from `migrationTypes`. They go into DDL verbatim, so only the shapes SQLite's grammar
 * allows are accepted (`numeric(10,2)`, `double precision`, `text COLLATE NOCASE`), and they are written
 * canonically so that two spellings of one type do not look like a change.
 */

const TYPE_WORDS = /^[A-Za-z_][A-Za-z0-9_]*(?:\s+[A-Za-z_][A-Za-z0-9_]*)*$/
const TYPE_ARGUMENTS = /^\(\s*([+-]?\d+)\s*(?:,\s*([+-]?\d+)\s*)?\)$/
const COLLATION = /^[A-Za-z_][A-Za-z0-9_]*$/

/** `NUMERIC( 10, 2 )` -> `numeric(10,2)`, `text collate nocase` -> `text COLLATE NOCASE`; null if malformed. */
export function canonicalSqlType(text: string): string | null {
  const [typePart = '', collation, ...rest] = text.trim().split(/\s+collate\s+/i)
  if (rest.length > 0) return null
  if (collation !== undefined && !COLLATION.test(collation)) return null
  const argumentsStart = typePart.indexOf('(')
  const words = (argumentsStart === -1 ? typePart : typePart.slice(0, argumentsStart)).trim()
  if (!TYPE_WORDS.test(words)) return null
  let typeArguments = ''
  if (argumentsStart !== -1) {
    const match = TYPE_ARGUMENTS.exec(typePart.slice(argumentsStart).trim())
    if (!match) return null
    typeArguments = match[2] === undefined ? `(${match[1]})` : `(${match[1]},${match[2]})`
  }
  const name = words.toLowerCase().split(/\s+/).join(' ')
  return `${name}${typeArguments}${collation === undefined ? '' : ` COLLATE ${collation.toUpperCase()}`}`
}

/** Column types a STRICT table accepts (the collation is not part of the type). */
const STRICT_TYPES = ['int', 'integer', 'real', 'text', 'blob', 'any']

export function isStrictCompatible(sqlType: string): boolean {
  const name =
    sqlType
      .split(/\s+COLLATE\s+/i)[0]
      ?.trim()
      .toLowerCase() ?? ''
  return STRICT_TYPES.includes(name)
}
