import type { ColumnState } from '@ash-sqlite/resource'

/**
 * drizzle-kit's (1.0.0-rc.5) rebuild that makes a column NOT NULL copies the rows as they are, so a single
 * existing NULL makes the migration fail. When the column has a default the user means "NULLs take the
 * default": the copy reads `COALESCE(column, default)`. The default is written into the new column only, so it
 * needs to fit the new column, never the old one (a STRICT table refuses an UPDATE of its old column to a
 * default of another type).
 *
 * Returns the fallback for a column copied from `from` to `to`, or null when the copy takes values as they are.
 */
export function notNullFallback(from: ColumnState, to: ColumnState): string | null {
  if (to.allowNull || !from.allowNull || to.default === null) return null
  return to.default
}
