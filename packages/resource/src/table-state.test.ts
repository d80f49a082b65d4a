import { describe, expect, test } from 'vitest'
import { Post, User } from './__fixtures__/blog.js'
import { Account, catalog, Defaults, Options, Order } from './__fixtures__/catalog.js'
import type { ColumnState } from './index.js'

const column = (overrides: Partial<ColumnState> & Pick<ColumnState, 'source' | 'attribute' | 'type'>): ColumnState => ({
  allowNull: true,
  default: null,
  primaryKey: false,
  autoincrement: false,
  generated: null,
  references: null,
  ...overrides,
})

describe('the state of the DESIGN.md example', () => {
  test('User', () => {
    expect(User.state).toEqual({
      table: 'users',
      repo: 'main',
      resources: ['User'],
      columns: [
        column({ source: 'id', attribute: 'id', type: 'text', allowNull: false, primaryKey: true }),
        column({ source: 'email', attribute: 'email', type: 'text COLLATE NOCASE', allowNull: false }),
        column({ source: 'full_name', attribute: 'fullName', type: 'text' }),
        column({ source: 'age', attribute: 'age', type: 'integer', default: '0' }),
        column({ source: 'role', attribute: 'role', type: 'text', default: "'member'" }),
        column({ source: 'inserted_at', attribute: 'insertedAt', type: 'text', allowNull: false }),
        column({ source: 'updated_at', attribute: 'updatedAt', type: 'text', allowNull: false }),
      ],
      identities: [{ name: 'uniqueEmail', columns: ['email'], indexName: 'users_unique_email_index', where: null }],
      customIndexes: [],
      customStatements: [],
      strict: false,
      baseFilterSql: null,
    })
    expect(User.renames).toEqual({ table: null, columns: { full_name: 'name' } })
  })

  test('Post', () => {
    expect(Post.state).toEqual({
      table: 'posts',
      repo: 'main',
      resources: ['Post'],
      columns: [
        column({
          source: 'id',
          attribute: 'id',
          type: 'integer',
          allowNull: false,
          primaryKey: true,
          autoincrement: true,
        }),
        column({ source: 'title', attribute: 'title', type: 'text', allowNull: false }),
        column({
          source: 'author_id',
          attribute: 'authorId',
          type: 'text',
          allowNull: false,
          references: { table: 'users', column: 'id', onDelete: 'CASCADE', onUpdate: 'CASCADE', name: null },
        }),
      ],
      identities: [],
      customIndexes: [{ name: 'posts_title_index', columns: ['title'], unique: false, where: 'title IS NOT NULL' }],
      customStatements: [
        {
          name: 'posts_title_upper',
          up: 'CREATE TRIGGER posts_title_upper AFTER INSERT ON posts BEGIN UPDATE posts SET title = upper(new.title) WHERE id = new.id; END',
          down: 'DROP TRIGGER posts_title_upper',
        },
      ],
      strict: false,
      baseFilterSql: null,
    })
    expect(Post.renames).toEqual({ table: null, columns: {} })
  })

  test('resource metadata', () => {
    expect(User).toMatchObject({ kind: 'resource', name: 'User', tableName: 'users', migrate: true, description: null })
    expect(User.repo).toMatchObject({ kind: 'repo', name: 'main' })
  })
})

describe('states are canonical JSON', () => {
  test.each(catalog.map((resource) => [resource.name, resource] as const))(
    '%s survives a JSON round trip unchanged',
    (_, resource) => {
      expect(JSON.parse(JSON.stringify(resource.state))).toEqual(resource.state)
      expect(JSON.stringify(resource.state)).not.toContain('undefined')
    },
  )

  test('states are frozen, so no reader can change them for the others', () => {
    expect(Object.isFrozen(Order.state)).toBe(true)
    expect(Object.isFrozen(Order.state.columns[2]?.references)).toBe(true)
    expect(() => (Order.state.columns as unknown[]).push({})).toThrow(TypeError)
  })

  test('the same definition gives the same state', async () => {
    const again = await import('./__fixtures__/catalog.js?again' as string)
    expect(again.Order).not.toBe(Order)
    expect(again.Order.state).toEqual(Order.state)
  })
})

describe('state details', () => {
  test('defaults are SQL text: literals quoted, expressions parenthesized, migrationDefaults verbatim', () => {
    const defaults = Object.fromEntries(Defaults.state.columns.map((c) => [c.source, c.default]))
    expect(defaults).toEqual({
      id: null,
      name: "'it''s'",
      email: "'NOBODY@EXAMPLE.COM'",
      quantity: '-1',
      weight: '2.5',
      price: "'9.99'",
      active: '1',
      archived: '0',
      external_id: "'00000000-0000-0000-0000-000000000000'",
      release_date: "'2024-01-31'",
      opens_at: "'09:00:00'",
      published_at: "'2024-01-02T03:04:05Z'",
      checked_at: '(CURRENT_TIMESTAMP)',
      local_time: "(datetime('now'))",
      metadata: `'{"color":"red","note":"O''Brien"}'`,
      tags: `'["a","b"]'`,
      thumbnail: "X'00ff10'",
      status: "'draft'",
      nothing: null,
      overridden: '(abs(random()) % 10)',
      stamped: '(CURRENT_TIMESTAMP)',
    })
  })

  test('generated columns, migrationTypes and strict', () => {
    expect(Options.state.strict).toBe(true)
    expect(Options.state.columns.map((c) => [c.source, c.type, c.generated])).toEqual([
      ['id', 'integer', null],
      ['headline', 'text', null],
      ['upper_title', 'text', { as: 'upper(headline)', mode: 'virtual' }],
      ['title_length', 'integer', { as: 'length(headline)', mode: 'stored' }],
      ['price', 'text', null],
      ['code', 'text COLLATE NOCASE', null],
      ['anything', 'any', null],
    ])
  })

  test('identities carry baseFilterSql; skipped identities have no index; indexes are sorted by name', () => {
    expect(Account.state.baseFilterSql).toBe('deleted_at IS NULL')
    expect(Account.state.identities).toEqual([
      {
        name: 'uniqueEmail',
        columns: ['email'],
        indexName: 'accounts_unique_email_index',
        where: 'deleted_at IS NULL',
      },
      {
        name: 'uniqueHandlePerTenant',
        columns: ['tenant', 'handle'],
        indexName: 'accounts_handle_key',
        where: 'deleted_at IS NULL',
      },
    ])
    expect(Account.state.customIndexes).toEqual([
      { name: 'accounts_city_index', columns: ['city'], unique: false, where: null },
      { name: 'accounts_deleted', columns: ['deleted_at'], unique: false, where: 'deleted_at IS NOT NULL' },
      { name: 'accounts_tenant_city_unique_index', columns: ['tenant', 'city'], unique: true, where: null },
    ])
  })

  test('references: actions, explicit names, ignore, self references, destination attributes', () => {
    expect(Object.fromEntries(Order.state.columns.map((c) => [c.source, c.references]))).toEqual({
      id: null,
      note: null,
      account_id: { table: 'accounts', column: 'id', onDelete: 'CASCADE', onUpdate: 'CASCADE', name: null },
      buyer_id: { table: 'accounts', column: 'id', onDelete: 'SET NULL', onUpdate: 'RESTRICT', name: null },
      approver_id: {
        table: 'accounts',
        column: 'id',
        onDelete: 'RESTRICT',
        onUpdate: 'NO ACTION',
        name: 'orders_approver_fk',
      },
      auditor_id: { table: 'accounts', column: 'id', onDelete: 'NO ACTION', onUpdate: 'NO ACTION', name: null },
      reviewed_by: null,
      parent_id: { table: 'orders', column: 'id', onDelete: 'CASCADE', onUpdate: 'NO ACTION', name: null },
      currency_code: { table: 'currencies', column: 'code', onDelete: 'NO ACTION', onUpdate: 'NO ACTION', name: null },
    })
    expect(Order.state.columns.find((c) => c.source === 'currency_code')?.type).toBe('text COLLATE NOCASE')
  })
})
