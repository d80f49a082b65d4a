import { drizzle } from 'drizzle-orm/libsql'
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { Article, ArticleLabel, filing, Label, publishing } from './__fixtures__/relations.js'
import { attr, belongsTo, defineDomain, defineResource, hasMany, ResourceDefinitionError, schemaOf } from './index.js'
import { createStatements } from './test-utils/ddl.js'
import { execute, openTempDatabase, type TempDatabase } from './test-utils/sqlite.js'

let database: TempDatabase
let ddl: string[]
beforeAll(async () => {
  ddl = await createStatements(schemaOf(publishing, filing).tables)
})
beforeEach(async () => {
  database = await openTempDatabase()
  await execute(database.client, ddl)
  await execute(database.client, [
    "INSERT INTO authors (id, name) VALUES (1, 'Ada'), (2, 'Brian')",
    "INSERT INTO profiles (id, bio, author_id) VALUES (1, 'Mathematician', 1)",
    "INSERT INTO articles (id, title, author_id, editor_id) VALUES (1, 'Engines', 1, 2), (2, 'Notes', 1, NULL), (3, 'C', 2, NULL)",
    "INSERT INTO remarks (id, body, article_id) VALUES (1, 'Great', 1), (2, 'Long', 1), (3, 'Short', 3)",
    "INSERT INTO labels (id, name) VALUES (1, 'history'), (2, 'computing')",
    'INSERT INTO article_labels (article_id, label_id) VALUES (1, 1), (1, 2), (3, 2)',
    "INSERT INTO folders (id, name, parent_id) VALUES (1, 'root', NULL), (2, 'docs', 1), (3, 'src', 1), (4, 'api', 2)",
  ])
})
afterEach(async () => {
  await database.close()
})

describe('domain.tables', () => {
  test('every table of the domain, keyed by its SQL table name', () => {
    expect(Object.keys(publishing.tables).sort()).toEqual([
      'article_labels',
      'articles',
      'authors',
      'labels',
      'profiles',
      'remarks',
    ])
    expect(publishing.tables.articles).toBe(Article.table)
    expect(publishing.tables).toBe(publishing.tables)
  })

  test('schemaOf joins domains, each resource once', () => {
    const schema = schemaOf(publishing, filing, publishing)
    expect(Object.keys(schema.tables)).toHaveLength(7)
    expect(schema.resources).toHaveLength(7)
  })
})

describe('db.query with relations built from the relationships', () => {
  test('belongsTo, hasMany, hasOne and nested with', async () => {
    const db = drizzle({ client: database.client, relations: publishing.relations })
    const authors = await db.query.authors.findMany({
      orderBy: { id: 'asc' },
      with: { profile: true, posts: { orderBy: { id: 'asc' }, with: { comments: { orderBy: { id: 'asc' } } } } },
    })
    expect(authors).toEqual([
      {
        id: 1,
        name: 'Ada',
        profile: { id: 1, bio: 'Mathematician', authorId: 1 },
        posts: [
          {
            id: 1,
            title: 'Engines',
            authorId: 1,
            editorId: 2,
            comments: [
              { id: 1, body: 'Great', articleId: 1 },
              { id: 2, body: 'Long', articleId: 1 },
            ],
          },
          { id: 2, title: 'Notes', authorId: 1, editorId: null, comments: [] },
        ],
      },
      {
        id: 2,
        name: 'Brian',
        profile: null,
        posts: [{ id: 3, title: 'C', authorId: 2, editorId: null, comments: [{ id: 3, body: 'Short', articleId: 3 }] }],
      },
    ])
  })

  test('two belongsTo to one table are told apart by their keys', async () => {
    const db = drizzle({ client: database.client, relations: publishing.relations })
    const article = await db.query.articles.findFirst({
      where: { id: 1 },
      columns: { title: true },
      with: { author: { columns: { name: true } }, editor: { columns: { name: true } } },
    })
    expect(article).toEqual({ title: 'Engines', author: { name: 'Ada' }, editor: { name: 'Brian' } })
    const unedited = await db.query.articles.findFirst({ where: { id: 2 }, with: { editor: true } })
    expect(unedited?.editor).toBeNull()
  })

  test('manyToMany through the join resource, both ways', async () => {
    const db = drizzle({ client: database.client, relations: publishing.relations })
    const article = await db.query.articles.findFirst({
      where: { id: 1 },
      with: { tags: { columns: { name: true }, orderBy: { id: 'asc' } } },
    })
    expect(article?.tags).toEqual([{ name: 'history' }, { name: 'computing' }])
    const labels = await db.query.labels.findMany({
      orderBy: { id: 'asc' },
      with: { articles: { columns: { id: true }, orderBy: { id: 'asc' } } },
    })
    expect(labels.map((label) => [label.name, label.articles.map((article) => article.id)])).toEqual([
      ['history', [1]],
      ['computing', [1, 3]],
    ])
    expect(Object.keys(publishing.relations.article_labels.relations).sort()).toEqual(['article', 'label'])
    expect(ArticleLabel.table).toBe(publishing.tables.article_labels)
    expect(Label.tableName).toBe('labels')
  })

  test('a self reference: parent and children', async () => {
    const db = drizzle({ client: database.client, relations: filing.relations })
    const root = await db.query.folders.findFirst({
      where: { id: 1 },
      with: { children: { orderBy: { id: 'asc' }, with: { children: true, parent: { columns: { name: true } } } } },
    })
    expect(root?.children.map((child) => [child.name, child.parent?.name, child.children.map((c) => c.name)])).toEqual([
      ['docs', 'root', ['api']],
      ['src', 'root', []],
    ])
  })

  test('relationships to resources outside the domain are left out', () => {
    const articlesOnly = defineDomain({ name: 'articles', resources: [Article] })
    expect(Object.keys(articlesOnly.relations.articles.relations)).toEqual([])
  })
})

describe('relationship keys that cannot be defaulted', () => {
  test('a hasMany whose target has no belongsTo back names the option to set', () => {
    const repo = Article.repo
    const Orphan = defineResource({
      name: 'Orphan',
      attributes: { id: attr.integerPrimaryKey() },
      relationships: { articles: hasMany(() => Article) },
      sqlite: { repo, table: 'orphans' },
    })
    const domain = defineDomain({ name: 'orphans', resources: [Orphan, Article] })
    expect(() => domain.relations).toThrow(ResourceDefinitionError)
    expect(() => domain.relations).toThrow(
      /Orphan\.relationships\.articles\.destinationAttribute: cannot default: Article has no belongsTo Orphan\. Set destinationAttribute/,
    )
  })

  test('two belongsTo back: the hasMany must say which', () => {
    const repo = Article.repo
    const Person = defineResource({
      name: 'Person',
      attributes: { id: attr.integerPrimaryKey() },
      relationships: { notes: hasMany(() => Note) },
      sqlite: { repo, table: 'people' },
    })
    const Note = defineResource({
      name: 'Note',
      attributes: { id: attr.integerPrimaryKey() },
      relationships: { writer: belongsTo(() => Person), reader: belongsTo(() => Person) },
      sqlite: { repo, table: 'notes' },
    })
    const domain = defineDomain({ name: 'notes', resources: [Person, Note] })
    expect(() => domain.relations).toThrow(/has 2 belongsTo relationships to Person \(writer, reader\)/)
  })
})
