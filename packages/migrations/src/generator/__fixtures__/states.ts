/** Compact builders of table states for generator tests: every field explicit in the result, defaults here. */
import type {
  ColumnState,
  CustomIndexState,
  CustomStatementState,
  IdentityState,
  ReferenceState,
  TableState,
} from '@ash-sqlite/resource'

export const REPO = 'main'

export function column(source: string, type = 'text', overrides: Partial<ColumnState> = {}): ColumnState {
  return {
    source,
    attribute: source.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase()),
    type,
    allowNull: true,
    default: null,
    primaryKey: false,
    autoincrement: false,
    generated: null,
    references: null,
    ...overrides,
  }
}

export function textKey(source = 'id'): ColumnState {
  return column(source, 'text', { allowNull: false, primaryKey: true })
}

export function integerKey(source = 'id'): ColumnState {
  return column(source, 'integer', { allowNull: false, primaryKey: true, autoincrement: true })
}

export function reference(table: string, columnName = 'id', overrides: Partial<ReferenceState> = {}): ReferenceState {
  return { table, column: columnName, onDelete: 'NO ACTION', onUpdate: 'NO ACTION', name: null, ...overrides }
}

export function identity(table: string, name: string, columns: string[], where: string | null = null): IdentityState {
  const snake = name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)
  return { name, columns, indexName: `${table}_${snake}_index`, where }
}

export function customIndex(
  name: string,
  columns: string[],
  overrides: Partial<CustomIndexState> = {},
): CustomIndexState {
  return { name, columns, unique: false, where: null, ...overrides }
}

export function customStatement(name: string, up: string, down: string): CustomStatementState {
  return { name, up, down }
}

export function table(name: string, columns: ColumnState[], overrides: Partial<TableState> = {}): TableState {
  return {
    table: name,
    repo: REPO,
    resources: [name.charAt(0).toUpperCase() + name.slice(1)],
    columns,
    identities: [],
    customIndexes: [],
    customStatements: [],
    strict: false,
    baseFilterSql: null,
    ...overrides,
  }
}

/** A state with one column replaced (matched by source) or appended. */
export function withColumn(state: TableState, next: ColumnState): TableState {
  const exists = state.columns.some((candidate) => candidate.source === next.source)
  const columns = exists
    ? state.columns.map((candidate) => (candidate.source === next.source ? next : candidate))
    : [...state.columns, next]
  return { ...state, columns }
}

export function withoutColumn(state: TableState, source: string): TableState {
  return { ...state, columns: state.columns.filter((candidate) => candidate.source !== source) }
}

/** `count` independent tables `t0000...`, each with a key, two columns, an index, every other one a foreign key. */
export function manyTables(count: number): TableState[] {
  const names = Array.from({ length: count }, (_, index) => `t${String(index).padStart(4, '0')}`)
  return names.map((name, index) =>
    table(
      name,
      [
        integerKey(),
        column('title', 'text', { allowNull: false, default: "''" }),
        column('amount', 'real'),
        ...(index > 0 && index % 2 === 0
          ? [column('parent_id', 'integer', { references: reference(names[index - 1]!) })]
          : []),
      ],
      { customIndexes: [customIndex(`${name}_title_index`, ['title'])] },
    ),
  )
}
