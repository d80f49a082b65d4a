import type { TableState } from '@ash-sqlite/resource'

/** A realistic table state (users with a unique email, a foreign key and a custom statement). */
export function usersState(overrides: Partial<TableState> = {}): TableState {
  return {
    table: 'users',
    repo: 'main',
    resources: ['User'],
    columns: [
      {
        source: 'id',
        attribute: 'id',
        type: 'integer',
        allowNull: false,
        default: null,
        primaryKey: true,
        autoincrement: true,
        generated: null,
        references: null,
      },
      {
        source: 'email',
        attribute: 'email',
        type: 'text COLLATE NOCASE',
        allowNull: false,
        default: null,
        primaryKey: false,
        autoincrement: false,
        generated: null,
        references: null,
      },
      {
        source: 'team_id',
        attribute: 'teamId',
        type: 'integer',
        allowNull: true,
        default: null,
        primaryKey: false,
        autoincrement: false,
        generated: null,
        references: { table: 'teams', column: 'id', onDelete: 'CASCADE', onUpdate: 'NO ACTION', name: null },
      },
    ],
    identities: [{ name: 'uniqueEmail', columns: ['email'], indexName: 'users_unique_email_index', where: null }],
    customIndexes: [],
    customStatements: [{ name: 'audit', up: 'CREATE TRIGGER users_audit ...', down: 'DROP TRIGGER users_audit' }],
    strict: true,
    baseFilterSql: null,
    ...overrides,
  }
}

/** A minimal state of a table with one primary key column. */
export function plainState(repo: string, table: string): TableState {
  return usersState({ repo, table, resources: [table], identities: [], customStatements: [] })
}

/** The same value with the keys of every object in reverse order (arrays keep their order). */
export function reverseKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reverseKeys) as T
  if (typeof value !== 'object' || value === null) return value
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([key, item]) => [key, reverseKeys(item)]),
  ) as T
}
