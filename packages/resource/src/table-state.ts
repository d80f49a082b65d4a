/**
 * The canonical, JSON-serialisable description of one SQLite table as the resources define it.
 *
 * This is the contract between the packages: `@ash-sqlite/resource` produces it, `@ash-sqlite/snapshot`
 * stores it (hashing it with sorted keys), and the generator in `@ash-sqlite/migrations` rebuilds Drizzle
 * tables from it to diff the previous schema against the current one. Keep every field plain JSON
 * (no `undefined`, no functions) so that a state read back from disk equals the one that was written.
 */

/** SQL action of a foreign key, as SQLite spells it. */
export type ReferenceAction = 'CASCADE' | 'SET NULL' | 'RESTRICT' | 'NO ACTION'

/** A foreign key from one column to a column of another (or the same) table in the same repo. */
export interface ReferenceState {
  /** Referenced table. */
  table: string
  /** Referenced column (the destination attribute's column). */
  column: string
  onDelete: ReferenceAction
  onUpdate: ReferenceAction
  /** Explicit constraint name from `references[rel].name`, or null for drizzle-kit's default name. */
  name: string | null
}

export interface GeneratedState {
  /** SQL expression of the generated column. */
  as: string
  mode: 'stored' | 'virtual'
}

export interface ColumnState {
  /** Column name in the database (the attribute's `source`). */
  source: string
  /** TypeScript property name on the table's row type. */
  attribute: string
  /**
   * SQL type as written in DDL, lower case (`text`, `integer`, `real`, `blob`, `numeric`, or a
   * `migrationTypes` override). A collation is part of it: `text COLLATE NOCASE` for `ciString`.
   */
  type: string
  allowNull: boolean
  /** SQL default expression exactly as it goes after DEFAULT (`'member'`, `0`, `(CURRENT_TIMESTAMP)`), or null. */
  default: string | null
  primaryKey: boolean
  /** INTEGER PRIMARY KEY AUTOINCREMENT. */
  autoincrement: boolean
  generated: GeneratedState | null
  references: ReferenceState | null
}

/** A unique index created for an identity. */
export interface IdentityState {
  /** Identity name as written in the DSL (`uniqueEmail`). */
  name: string
  /** Column names (sources), in order. */
  columns: string[]
  /** Index name (`users_unique_email_index`, or `identityIndexNames[name]`). */
  indexName: string
  /** WHERE clause of the partial index (the resource's `baseFilterSql`), or null. */
  where: string | null
}

export interface CustomIndexState {
  name: string
  /** Column names (sources), in order. */
  columns: string[]
  unique: boolean
  where: string | null
}

export interface CustomStatementState {
  /** Statements are matched by name between two states. */
  name: string
  up: string
  down: string
}

export interface TableState {
  /** Table name in the database. */
  table: string
  /** Name of the repo whose database holds the table. */
  repo: string
  /** Resources that define this table (more than one when resources share a table), sorted. */
  resources: string[]
  /** Columns in definition order (the order of CREATE TABLE). */
  columns: ColumnState[]
  identities: IdentityState[]
  customIndexes: CustomIndexState[]
  customStatements: CustomStatementState[]
  /** A STRICT table. */
  strict: boolean
  /** `baseFilterSql` of the resource, or null. */
  baseFilterSql: string | null
}
