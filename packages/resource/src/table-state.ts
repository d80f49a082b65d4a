/**
 * The canonical, JSON-serialisable description of one SQLite table as the resources define it.
 *
 * This is the contract between the packages: `@ash-sqlite/resource` produces it, `@ash-sqlite/snapshot`
 * stores it (hashing it with sorted keys), and the generator in `@ash-sqlite/migrations` rebuilds Drizzle
 * tables from it to diff the previous schema against the current one. Keep every field plain JSON
 * (no `undefined`, no functions) so that a state read back from disk equals the one that was written.
 */

/** SQL action of a foreign key, as SQLite spells it. */
export type ReferenceAction = 'CASCADE' | 'SET NULL' | 'SET DEFAULT' | 'RESTRICT' | 'NO ACTION'

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

/**
 * A multi-column foreign key (a composite `belongsTo`). One-column foreign keys live on their column
 * (`ColumnState.references`), as they always have.
 */
export interface ForeignKeyState {
  /** Column names (sources) of this table, in order. */
  columns: string[]
  /** Referenced table. */
  table: string
  /** Referenced columns, position by position with `columns`. */
  referencedColumns: string[]
  onDelete: ReferenceAction
  onUpdate: ReferenceAction
  /** Explicit constraint name, or null for drizzle-kit's default name. */
  name: string | null
}

/** A CHECK constraint of the table (`sqlite.checkConstraints`, or an `attr.enum(..., { check: true })`). */
export interface CheckConstraintState {
  /** Constraint name; constraints are matched by name between two states. */
  name: string
  /** The SQL condition, as written after CHECK (without the outer parentheses). */
  check: string
}

/**
 * One key of an index that is not simply a column in ascending order. Indexes whose keys are all plain
 * columns have no `keys` at all (their `columns` say everything), which keeps older snapshots' hashes.
 */
export type IndexKeyState = { column: string; order: 'asc' | 'desc' } | { expression: string }

/** A unique index created for an identity. */
export interface IdentityState {
  /** Identity name as written in the DSL (`uniqueEmail`). */
  name: string
  /** Column names (sources), in order. */
  columns: string[]
  /** Index name (`users_unique_email_index`, or `identityIndexNames[name]`). */
  indexName: string
  /** WHERE clause of the partial index (the identity's `where` and the resource's `baseFilterSql`), or null. */
  where: string | null
  /**
   * Present (always false) when two rows whose keys are NULL count as equal (`nilsDistinct: false`), which
   * SQLite's UNIQUE never does on its own: the index then keys on `(col IS NULL, ifnull(col, 0))` per
   * nullable column. Absent means SQLite's own behaviour (NULLs are distinct).
   */
  nilsDistinct?: false
}

export interface CustomIndexState {
  name: string
  /** Column names (sources) of the column keys, in order. */
  columns: string[]
  unique: boolean
  where: string | null
  /** Every key in order, present only when a key is an expression or descending. */
  keys?: IndexKeyState[]
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
  // Fields added after the first release are optional and left out when empty, so a state written before
  // they existed hashes the same and causes no migration.
  /** Multi-column foreign keys, sorted by their columns. */
  foreignKeys?: ForeignKeyState[]
  /** CHECK constraints, sorted by name. */
  checkConstraints?: CheckConstraintState[]
}
