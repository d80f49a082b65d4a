import type { TablePair } from './table-pairs.js'

/**
 * drizzle-kit (1.0.0-rc.5) knows nothing of STRICT tables: its snapshot has no such option, so it neither
 * writes `STRICT` after CREATE TABLE nor sees a table switch it on or off. The plan appends the option to
 * every table created with it (created tables here; rebuilt ones in table-rebuild.ts) and rebuilds a table
 * whose option changes.
 */
export function strictToggled(pair: TablePair): boolean {
  return pair.from !== undefined && pair.to !== undefined && pair.from.strict !== pair.to.strict
}
