import type { ReferenceAction } from '@ash-sqlite/resource'

/**
 * The generator's typed middle: what one direction of a migration does, decided once per repo and direction
 * and rendered to SQL at the end (see render-plan.ts). The pipeline is
 *
 *   decide   (decide-tables.ts)          which tables are created, dropped, altered in place or rebuilt, and why
 *   classify (classify-statements.ts)    drizzle-kit's SQL read once into `DrizzleStatement`s
 *   patch    (patches in their own modules, each naming the drizzle-kit limitation it works around)
 *   render   (render-plan.ts, rebuild-renderers.ts)   steps -> statements, one rebuild renderer per target
 *
 * Nothing after `classify` reads SQL text written by drizzle-kit to learn a fact: the facts are here.
 */

/** Why a table is rebuilt (create new, copy, drop old, rename) instead of altered in place. */
export type RebuildReason =
  /** drizzle-kit itself rebuilds it (a default, nullability, foreign key or inline UNIQUE changed). */
  | 'drizzle_kit'
  /** A new column that `ALTER TABLE ADD COLUMN` cannot add to a table with rows (see unaddable-columns.ts). */
  | 'unaddable_column'
  /** STRICT switched on or off (see strict-tables.ts). */
  | 'strict_toggle'
  /** A column switches between generated and plain (see generated-columns.ts). */
  | 'generated_switch'

/** What a rebuild does with one column of the new table (or one column of the old table it leaves behind). */
export type ColumnFate =
  /** Copied from the old table's column of that name (its name after the direction's column renames). */
  | { readonly kind: 'copied'; readonly column: string; readonly from: string }
  /** Copied, NULLs replaced by `fallback` (a column becoming NOT NULL with a default; see not-null-backfill.ts). */
  | { readonly kind: 'backfilled'; readonly column: string; readonly from: string; readonly fallback: string }
  /** A new column: every row gets its default (`default`, SQL text, or NULL). */
  | { readonly kind: 'added'; readonly column: string; readonly default?: string | null }
  /** A generated column of the new table: computed, never copied. `wasPlain`: its stored values are lost. */
  | { readonly kind: 'computed'; readonly column: string; readonly wasPlain: boolean }
  /** A column of the old table that the new one does not have: its values are dropped. */
  | { readonly kind: 'dropped'; readonly from: string }

/**
 * One table rebuild, whoever asked for it (drizzle-kit or a patch). Renderers (rebuild-renderers.ts) turn it
 * into statements for their target; the decision never depends on the target.
 */
export interface TableRebuild {
  /** The table's final name; the old table has that name too when the rebuild runs (renames run first). */
  readonly table: string
  readonly reasons: readonly RebuildReason[]
  /** drizzle-kit's CREATE TABLE of the final table under its final name (STRICT option applied). */
  readonly createTable: string
  /** drizzle-kit's CREATE [UNIQUE] INDEX statements of the final table, run after the swap. */
  readonly indexes: readonly string[]
  readonly columns: readonly ColumnFate[]
  /** The final table has an AUTOINCREMENT key: the rebuild carries its sqlite_sequence high-water mark over. */
  readonly autoincrement: boolean
  /**
   * Foreign keys of other tables (after the migration) that point at this table, with their actions: a target
   * that cannot switch foreign keys off (D1) must keep their ON DELETE / ON UPDATE actions from firing.
   */
  readonly referencedBy: readonly RebuildReference[]
  /**
   * Views and triggers any resource of the repo declares (custom statements): the rebuild may assume the
   * plan dropped and re-creates those that mention the table. Any other view or trigger mentioning it makes
   * the migration fail, naming it, instead of being dropped with the table or breaking the rename.
   */
  readonly declaredObjects: readonly string[]
  /**
   * CHECK constraints of the final table that the old table did not have with that condition (added or
   * changed): the copied rows are checked against each before the copy, so a row that breaks one fails the
   * migration naming the constraint and the row's rowid (the copy itself would only say "CHECK constraint
   * failed: <name>").
   */
  readonly newChecks: readonly CheckConstraint[]
}

export interface CheckConstraint {
  readonly name: string
  /** The SQL condition, over the final table's column names. */
  readonly check: string
}

export interface RebuildReference {
  readonly table: string
  readonly column: string
  readonly onDelete: ReferenceAction
  readonly onUpdate: ReferenceAction
}

/** Where a plain statement comes from, for readers and error messages. */
export type StatementOrigin = 'drizzle-kit' | 'custom-statement' | 'changed-index'

/** One step of a direction, in execution order. */
export type PlanStep =
  | { readonly kind: 'statement'; readonly sql: string; readonly origin: StatementOrigin; readonly label?: string }
  | { readonly kind: 'rebuild'; readonly rebuild: TableRebuild }

/** What happens to one table in one direction. */
export type TablePlan =
  | { readonly kind: 'created'; readonly table: string }
  | { readonly kind: 'dropped'; readonly table: string }
  | { readonly kind: 'altered'; readonly table: string; readonly from: string }
  | { readonly kind: 'rebuilt'; readonly table: string; readonly from: string; readonly rebuild: TableRebuild }

/** One direction of a repo's migration (up, or down), decided. */
export interface DirectionPlan {
  readonly tables: readonly TablePlan[]
  readonly steps: readonly PlanStep[]
}
