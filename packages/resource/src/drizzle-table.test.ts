import { describe, expect, test } from 'vitest'
import { Post, User } from './__fixtures__/blog.js'
import {
  attr,
  collectTableStates,
  defineRepo,
  defineResource,
  sqliteTablesFromStates,
  type TableState,
} from './index.js'
import { createStatements } from './test-utils/ddl.js'

const repo = defineRepo({ name: 'main', url: 'file:unused.db' })
const stateOf = (table: string): TableState => collectTableStates([User, Post]).find((state) => state.table === table)!
const users = stateOf('users')
const posts = stateOf('posts')

describe('sqliteTablesFromStates', () => {
  test('builds a subset whose foreign keys point outside it through referencedState, returning only the subset', async () => {
    const tables = sqliteTablesFromStates([posts], {
      referencedState: (table) => (table === 'users' ? users : undefined),
    })
    expect(Object.keys(tables)).toEqual(['posts'])
    const [createPosts] = await createStatements(tables)
    expect(createPosts).toContain(
      'CONSTRAINT `fk_posts_author_id_users_id_fk` FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE CASCADE ON DELETE CASCADE',
    )
  })

  test('without the target state, reading the foreign key names the reference', async () => {
    const tables = sqliteTablesFromStates([posts])
    await expect(createStatements(tables)).rejects.toThrow(
      'Table posts.author_id references users.id, which is neither among the given states nor known to referencedState',
    )
  })

  test('a table may be called like an Object.prototype member', async () => {
    const namedConstructor: TableState = { ...users, table: 'constructor', identities: [] }
    const child: TableState = {
      ...posts,
      customIndexes: [],
      columns: posts.columns.map((column) =>
        column.references ? { ...column, references: { ...column.references, table: 'constructor' } } : column,
      ),
    }
    const statements = await createStatements(sqliteTablesFromStates([namedConstructor, child]))
    expect(statements.find((statement) => statement.startsWith('CREATE TABLE `posts`'))).toContain(
      'REFERENCES `constructor`(`id`)',
    )
  })
})

test('a migration default on an integerPrimaryKey is in the DDL of the resource and of its state alike', async () => {
  const Counter = defineResource({
    name: 'Counter',
    attributes: { id: attr.integerPrimaryKey(), label: attr.string() },
    sqlite: { repo, table: 'counters', migrationDefaults: { id: '1000' } },
  })
  const expected = [
    'CREATE TABLE `counters` (\n\t`id` integer PRIMARY KEY AUTOINCREMENT DEFAULT 1000,\n\t`label` text\n);',
  ]
  expect(await createStatements({ counters: Counter.table })).toEqual(expected)
  expect(await createStatements(sqliteTablesFromStates(collectTableStates([Counter])))).toEqual(expected)
})
