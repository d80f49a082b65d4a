import { getTableColumns } from 'drizzle-orm'
import { describe, expect, test } from 'vitest'
import {
  type AnyResource,
  attr,
  belongsTo,
  type ColumnState,
  collectTableStates,
  defineRepo,
  defineResource,
  type Repo,
} from './index.js'
import { expectDefinitionError } from './test-utils/errors.js'

const main = defineRepo({ name: 'main', url: 'file:unused.db' })
const analytics = defineRepo({ name: 'analytics', url: 'file:unused2.db' })

const column = (overrides: Partial<ColumnState> & Pick<ColumnState, 'source' | 'attribute' | 'type'>): ColumnState => ({
  allowNull: true,
  default: null,
  primaryKey: false,
  autoincrement: false,
  generated: null,
  references: null,
  ...overrides,
})

// Two resources over one `people` table, as AshSqlite allows (e.g. a public and an admin view).
const Person = defineResource({
  name: 'Person',
  attributes: {
    id: attr.uuidPrimaryKey(),
    email: attr.ciString({ allowNull: false }),
    name: attr.string(),
    nickname: attr.string({ allowNull: false }),
  },
  identities: { uniqueEmail: ['email'] },
  sqlite: {
    repo: main,
    table: 'people',
    customIndexes: [{ fields: ['name'] }],
    customStatements: [
      { name: 'people_view', up: 'CREATE VIEW people_view AS SELECT 1', down: 'DROP VIEW people_view' },
    ],
  },
})

const Admin = defineResource({
  name: 'Admin',
  attributes: {
    id: attr.uuidPrimaryKey(),
    mail: attr.ciString({ allowNull: false, source: 'email' }),
    role: attr.enum(['admin', 'owner'], { allowNull: false, default: 'admin' }),
    notes: attr.string({ allowNull: false }),
  },
  identities: { uniqueEmail: ['mail'] },
  sqlite: {
    repo: main,
    table: 'people',
    customIndexes: [{ fields: ['role'] }],
    customStatements: [
      { name: 'people_view', up: 'CREATE VIEW people_view AS SELECT 1', down: 'DROP VIEW people_view' },
    ],
  },
})

describe('resources sharing a table', () => {
  test('merge into one state: columns united, shared parts united by name', () => {
    const [people] = collectTableStates([Person, Admin])
    expect(people).toEqual({
      table: 'people',
      repo: 'main',
      resources: ['Admin', 'Person'],
      // Sorted by resource name: Admin's columns first, then the ones only Person has.
      columns: [
        column({ source: 'id', attribute: 'id', type: 'text', allowNull: false, primaryKey: true }),
        column({ source: 'email', attribute: 'mail', type: 'text COLLATE NOCASE', allowNull: false }),
        // Only Admin defines role and notes: role keeps NOT NULL thanks to its default, notes must accept NULL
        // or Person could not insert rows.
        column({ source: 'role', attribute: 'role', type: 'text', allowNull: false, default: "'admin'" }),
        column({ source: 'notes', attribute: 'notes', type: 'text', allowNull: true }),
        column({ source: 'name', attribute: 'name', type: 'text' }),
        column({ source: 'nickname', attribute: 'nickname', type: 'text', allowNull: true }),
      ],
      identities: [{ name: 'uniqueEmail', columns: ['email'], indexName: 'people_unique_email_index', where: null }],
      customIndexes: [
        { name: 'people_name_index', columns: ['name'], unique: false, where: null },
        { name: 'people_role_index', columns: ['role'], unique: false, where: null },
      ],
      customStatements: [
        { name: 'people_view', up: 'CREATE VIEW people_view AS SELECT 1', down: 'DROP VIEW people_view' },
      ],
      strict: false,
      baseFilterSql: null,
    })
  })

  test('the merge does not depend on the order the resources are given in', () => {
    expect(collectTableStates([Admin, Person])).toEqual(collectTableStates([Person, Admin]))
  })

  test('each resource keeps its own state and table', () => {
    expect(Person.state.resources).toEqual(['Person'])
    expect(Person.state.columns.map((c) => c.source)).toEqual(['id', 'email', 'name', 'nickname'])
    expect(Object.keys(getTableColumns(Admin.table))).toEqual(['id', 'mail', 'role', 'notes'])
  })
})

describe('one state per (repo, table), sorted by repo then table', () => {
  test('sorting, separate repos, migrate: false left out', () => {
    const make = (name: string, repo: Repo, table: string, migrate = true) =>
      defineResource({ name, attributes: { id: attr.integerPrimaryKey() }, sqlite: { repo, table, migrate } })
    const states = collectTableStates([
      make('B', main, 'zebras'),
      make('A', main, 'apples'),
      make('C', analytics, 'zebras'),
      make('D', analytics, 'events', false),
    ])
    expect(states.map((state) => [state.repo, state.table, state.resources])).toEqual([
      ['analytics', 'zebras', ['C']],
      ['main', 'apples', ['A']],
      ['main', 'zebras', ['B']],
    ])
  })

  test('the same resource given twice counts once', () => {
    expect(collectTableStates([Person, Person])).toEqual([Person.state])
  })

  test('two different resources with one name are an error', () => {
    const a = defineResource({
      name: 'Twin',
      attributes: { id: attr.integerPrimaryKey() },
      sqlite: { repo: main, table: 'a' },
    })
    const b = defineResource({
      name: 'Twin',
      attributes: { id: attr.integerPrimaryKey() },
      sqlite: { repo: main, table: 'b' },
    })
    expectDefinitionError(() => collectTableStates([a, b]), 'invalid_option', 'Twin', 'two different resources')
  })

  test('anything but resources is an error', () => {
    expectDefinitionError(
      () => collectTableStates([{ kind: 'nope' } as unknown as AnyResource]),
      'invalid_option',
      'defineResource',
    )
  })
})

describe('conflicting definitions of a shared table', () => {
  const base = {
    id: attr.uuidPrimaryKey(),
  }
  const left = (attributes: Record<string, ReturnType<typeof attr.string>> | object, extra: object = {}) =>
    defineResource({
      name: 'Left',
      attributes: { ...base, ...attributes },
      sqlite: { repo: main, table: 'shared', ...extra },
    } as never)
  const right = (attributes: object, extra: object = {}) =>
    defineResource({
      name: 'Right',
      attributes: { ...base, ...attributes },
      sqlite: { repo: main, table: 'shared', ...extra },
    } as never)

  test.each([
    ['type', attr.string(), attr.integer(), '(type) of table "shared" is "text" in Left but "integer" in Right'],
    [
      'allowNull',
      attr.string(),
      attr.string({ allowNull: false }),
      '(allowNull) of table "shared" is true in Left but false in Right',
    ],
    [
      'default',
      attr.string({ default: 'a' }),
      attr.string({ default: 'b' }),
      `(default) of table "shared" is "'a'" in Left but "'b'" in Right`,
    ],
    ['primaryKey', attr.integer({ primaryKey: true }), attr.integer({ allowNull: false }), '(primaryKey)'],
    ['generated', attr.string({ generated: { as: 'upper(id)' } }), attr.string(), '(generated)'],
  ])('a column differing in %s', (_, leftAttribute, rightAttribute, message) => {
    expectDefinitionError(
      () => collectTableStates([left({ value: leftAttribute }), right({ value: rightAttribute })]),
      'conflicting_table_definition',
      'column "value"',
      message,
      'Define it identically in every resource that uses table "shared"',
    )
  })

  test('a column differing in its reference', () => {
    const Target = defineResource({
      name: 'Target',
      attributes: { id: attr.uuidPrimaryKey() },
      sqlite: { repo: main, table: 'targets' },
    })
    const withFk = (name: string, onDelete: 'delete' | 'restrict') =>
      defineResource({
        name,
        attributes: { id: attr.uuidPrimaryKey() },
        relationships: { target: belongsTo(() => Target) },
        sqlite: { repo: main, table: 'shared', references: { target: { onDelete } } },
      })
    expectDefinitionError(
      () => collectTableStates([withFk('Left', 'delete'), withFk('Right', 'restrict')]),
      'conflicting_table_definition',
      'column "target_id" (references)',
      '"onDelete":"CASCADE"',
      '"onDelete":"RESTRICT"',
    )
  })

  test('a primary key column some resources lack', () => {
    expectDefinitionError(
      () =>
        collectTableStates([
          left({ code: attr.string({ primaryKey: true }) }),
          defineResource({
            name: 'Right',
            attributes: { code: attr.string({ primaryKey: true }) },
            sqlite: { repo: main, table: 'shared' },
          }),
        ]),
      'conflicting_table_definition',
      'primary key column "id" of table "shared" is defined by Left but not by every resource',
    )
  })

  test.each([
    ['identity', { identities: { byName: ['name'] } }, { identities: { byName: ['other'] } }, 'identity "byName"'],
    [
      'custom index',
      { sqlite: { customIndexes: [{ fields: ['name'], name: 'shared_idx' }] } },
      { sqlite: { customIndexes: [{ fields: ['other'], name: 'shared_idx' }] } },
      'custom index "shared_idx"',
    ],
    [
      'custom statement',
      { sqlite: { customStatements: [{ name: 'stmt', up: 'SELECT 1', down: '' }] } },
      { sqlite: { customStatements: [{ name: 'stmt', up: 'SELECT 2', down: '' }] } },
      'custom statement "stmt"',
    ],
    [
      'strict',
      { sqlite: { strict: true } },
      { sqlite: { strict: false } },
      'strict of table "shared" is true in Left but false in Right',
    ],
    [
      'baseFilterSql',
      { sqlite: { baseFilterSql: 'a' } },
      { sqlite: { baseFilterSql: 'b' } },
      'baseFilterSql of table "shared" is "a" in Left but "b" in Right',
    ],
  ])('a %s defined differently', (_, leftParts: Record<string, any>, rightParts: Record<string, any>, message) => {
    const make = (name: string, parts: Record<string, any>) =>
      defineResource({
        name,
        attributes: { id: attr.uuidPrimaryKey(), name: attr.string(), other: attr.string() },
        ...(parts.identities ? { identities: parts.identities } : {}),
        sqlite: { repo: main, table: 'shared', ...parts.sqlite },
      })
    expectDefinitionError(
      () => collectTableStates([make('Left', leftParts), make('Right', rightParts)]),
      'conflicting_table_definition',
      message,
    )
  })

  test('index names are unique per database, across tables', () => {
    const a = defineResource({
      name: 'A',
      attributes: { id: attr.integerPrimaryKey(), x: attr.string() },
      sqlite: { repo: main, table: 'a', customIndexes: [{ fields: ['x'], name: 'by_x' }] },
    })
    const b = defineResource({
      name: 'B',
      attributes: { id: attr.integerPrimaryKey(), x: attr.string() },
      sqlite: { repo: main, table: 'b', customIndexes: [{ fields: ['x'], name: 'by_x' }] },
    })
    expectDefinitionError(
      () => collectTableStates([a, b]),
      'invalid_option',
      'creates index "by_x" on table "b"',
      'table "a" (A)',
    )
    const c = defineResource({
      name: 'C',
      attributes: { id: attr.integerPrimaryKey(), x: attr.string() },
      sqlite: { repo: analytics, table: 'c', customIndexes: [{ fields: ['x'], name: 'by_x' }] },
    })
    expect(collectTableStates([a, c])).toHaveLength(2)
  })
})
