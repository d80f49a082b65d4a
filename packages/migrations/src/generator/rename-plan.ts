/**
 * The renames of one migration, decided before anything is diffed. The same plan drives the up diff, and,
 * inverted, the down diff, so both directions agree on what is a rename and what is a drop plus a create.
 */
export interface RenamePlan {
  readonly tables: readonly TableRename[]
  /** `table` is the table's name on the `to` side of the diff. */
  readonly columns: readonly ColumnRename[]
}

export interface TableRename {
  readonly from: string
  readonly to: string
}

export interface ColumnRename {
  readonly table: string
  readonly from: string
  readonly to: string
}

export const NO_RENAMES: RenamePlan = { tables: [], columns: [] }

/** The plan of the opposite direction: every rename undone. */
export function invertRenamePlan(plan: RenamePlan): RenamePlan {
  const fromName = new Map(plan.tables.map((rename) => [rename.to, rename.from]))
  return {
    tables: plan.tables.map((rename) => ({ from: rename.to, to: rename.from })),
    columns: plan.columns.map((rename) => ({
      table: fromName.get(rename.table) ?? rename.table,
      from: rename.to,
      to: rename.from,
    })),
  }
}

/** The `from`-side name of a `to`-side table: its old name when renamed, else its own name. */
export function sourceTableName(plan: RenamePlan, table: string): string {
  return plan.tables.find((rename) => rename.to === table)?.from ?? table
}

/** The `from`-side name of a column of a `to`-side table. */
export function sourceColumnName(plan: RenamePlan, table: string, column: string): string {
  return plan.columns.find((rename) => rename.table === table && rename.to === column)?.from ?? column
}
