import type { Client } from '@libsql/client'
import { drizzle } from 'drizzle-orm/libsql'
import { describe, expectTypeOf, test } from 'vitest'
import { Article, Author, Folder, filing, publishing } from './__fixtures__/relations.js'
import { attr, belongsTo, defineDomain, defineRepo, defineResource, hasMany, schemaOf } from './index.js'

declare const client: Client

describe('relations v2 types', () => {
  test('with keys are relationship names; results nest the target rows', async () => {
    const db = drizzle({ client, relations: publishing.relations })
    const authors = await db.query.authors.findMany({
      with: { profile: true, posts: { with: { comments: true, editor: true, tags: true } } },
    })
    type Row = (typeof authors)[number]
    expectTypeOf<Row['id']>().toEqualTypeOf<number>()
    expectTypeOf<Row['profile']>().toEqualTypeOf<{ id: number; bio: string | null; authorId: number } | null>()
    type Post = Row['posts'][number]
    expectTypeOf<Post['title']>().toEqualTypeOf<string>()
    expectTypeOf<Post['comments'][number]>().toEqualTypeOf<{ id: number; body: string; articleId: number }>()
    expectTypeOf<Post['editor']>().toEqualTypeOf<{ id: number; name: string } | null>()
    expectTypeOf<Post['tags'][number]>().toEqualTypeOf<{ id: number; name: string }>()
  })

  test('a belongsTo that does not allow null is a required one', async () => {
    const db = drizzle({ client, relations: publishing.relations })
    const article = await db.query.articles.findFirst({ with: { author: { columns: { name: true } } } })
    expectTypeOf(article).toEqualTypeOf<
      { id: number; title: string; authorId: number; editorId: number | null; author: { name: string } } | undefined
    >()
  })

  test('unknown with keys are rejected', () => {
    const db = drizzle({ client, relations: publishing.relations })
    // @ts-expect-error: articles has no relationship "writer"
    db.query.articles.findMany({ with: { writer: true } })
  })

  test('a self reference nests itself', async () => {
    const db = drizzle({ client, relations: filing.relations })
    const folder = await db.query.folders.findFirst({ with: { parent: true, children: { with: { children: true } } } })
    expectTypeOf(folder?.parent).toEqualTypeOf<
      { id: number; name: string; parentId: number | null } | null | undefined
    >()
    expectTypeOf<NonNullable<typeof folder>['children'][number]['children'][number]['name']>().toEqualTypeOf<string>()
    expectTypeOf(Folder.table.$inferSelect.parentId).toEqualTypeOf<number | null>()
  })

  test('domain.tables is keyed by table name; schemaOf joins domains', () => {
    expectTypeOf(publishing.tables.articles).toEqualTypeOf(Article.table)
    expectTypeOf(publishing.tables.authors).toEqualTypeOf(Author.table)
    const schema = schemaOf(publishing, filing)
    expectTypeOf(schema.tables.folders).toEqualTypeOf(Folder.table)
    const db = drizzle({ client, relations: schema.relations })
    expectTypeOf(db.query.folders.findMany).toBeFunction()
    expectTypeOf(db.query.articles.findMany).toBeFunction()
  })

  test('two resources that refer to each other need no annotation', () => {
    const repo = defineRepo({ name: 'r', url: 'file:x.db' })
    const Team = defineResource({
      name: 'Team',
      attributes: { id: attr.uuidPrimaryKey() },
      relationships: { members: hasMany(() => Member), captain: belongsTo(() => Member, { attributeType: 'integer' }) },
      sqlite: { repo, table: 'teams' },
    })
    const Member = defineResource({
      name: 'Member',
      attributes: { id: attr.integerPrimaryKey() },
      relationships: { team: belongsTo(() => Team, { allowNull: false }) },
      sqlite: { repo, table: 'members' },
    })
    expectTypeOf(Member.table.$inferSelect).toEqualTypeOf<{ id: number; teamId: string }>()
    expectTypeOf(Team.table.$inferSelect).toEqualTypeOf<{ id: string; captainId: number | null }>()
    const domain = defineDomain({ name: 'teams', resources: [Team, Member] })
    expectTypeOf(domain.relations.teams.relations.members.relationType).toEqualTypeOf<'many'>()
    expectTypeOf(domain.relations.members.relations.team.optional).toEqualTypeOf<false>()
  })
})
