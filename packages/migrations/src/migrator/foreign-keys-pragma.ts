/**
 * drizzle-kit wraps table rebuilds in `PRAGMA foreign_keys=OFF;` ... `PRAGMA foreign_keys=ON;`. Inside a
 * transaction SQLite ignores that pragma, so those lines would be no-ops anyway: the migrator switches
 * foreign keys off itself before BEGIN and checks them with `PRAGMA foreign_key_check` before COMMIT.
 * It skips these statements explicitly, so nobody has to wonder whether they did anything.
 */
const foreignKeysPragma = /^pragma\s+(?:"?main"?\.)?"?foreign_keys"?\s*=\s*[\w"']+\s*;?$/i

export function isForeignKeysPragma(statement: string): boolean {
  const withoutLineComments = statement.replace(/^\s*--.*$/gm, '').trim()
  return foreignKeysPragma.test(withoutLineComments)
}
