/** Idiomatic TypeScript names for what a database calls its tables and columns. */

const PLAIN_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/

export function isPlainIdentifier(name: string): boolean {
  return PLAIN_IDENTIFIER.test(name)
}

/** `full_name` -> `fullName`, `AlbumId` -> `albumId`, `ID` -> `id`. */
export function camelCase(name: string): string {
  const words = name.split(/_+/).filter((word) => word !== '')
  if (words.length === 0) return name
  const joined = words
    .map((word, index) => (index === 0 ? word : word.charAt(0).toUpperCase() + word.slice(1)))
    .join('')
  if (/^[A-Z0-9]+$/.test(joined)) return joined.toLowerCase()
  // `URLPath` -> `urlPath`: lower the leading run of capitals but keep the start of the next word.
  const leading = /^[A-Z]+(?=[A-Z][a-z])|^[A-Z]/.exec(joined)?.[0] ?? ''
  return leading.toLowerCase() + joined.slice(leading.length)
}

/** `users` -> `User`, `order_items` -> `OrderItem`, `Categories` -> `Category`. */
export function resourceName(table: string): string {
  const words = table.split(/_+/).filter((word) => word !== '')
  const last = words.length - 1
  return words
    .map((word, index) => {
      const singular = index === last ? singularize(word) : word
      return singular.charAt(0).toUpperCase() + singular.slice(1)
    })
    .join('')
}

export function singularize(word: string): string {
  const lower = word.toLowerCase()
  if (/(ss|us|is)$/.test(lower) || lower.length <= 3) return word
  if (lower.endsWith('ies')) return `${word.slice(0, -3)}${word.slice(-3, -2) === 'I' ? 'Y' : 'y'}`
  if (/(sses|xes|ches|shes|zzes)$/.test(lower)) return word.slice(0, -2)
  if (lower.endsWith('s')) return word.slice(0, -1)
  return word
}

/** A name for a custom statement (they must be plain identifiers): `Product Sales for 1997` -> `product_sales_for_1997`. */
export function statementName(prefix: string, name: string): string {
  const cleaned = name
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase()
  return `${prefix}_${cleaned || 'unnamed'}`
}

/** `name`, then `name2`, `name3`... until `taken` does not have it; the result is added to `taken`. */
export function uniqueName(name: string, taken: Set<string>): string {
  let candidate = name
  for (let counter = 2; taken.has(candidate); counter++) candidate = `${name}${counter}`
  taken.add(candidate)
  return candidate
}
