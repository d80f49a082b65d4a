import { sql } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/libsql'
import type { SQLiteTable } from 'drizzle-orm/sqlite-core'
import { describe, expectTypeOf, test } from 'vitest'
import { Post, User } from './__fixtures__/blog.js'
import {
  type AnyResource,
  attr,
  belongsTo,
  collectTableStates,
  defineDomain,
  defineRepo,
  defineResource,
  hasMany,
  hasOne,
  type Resource,
  type TableState,
} from './index.js'

const repo = defineRepo({ name: 'main', url: 'file:unused.db' })

describe('the DESIGN.md example', () => {
  test('User rows', () => {
    expectTypeOf(User.table.$inferSelect).toEqualTypeOf<{
      id: string
      email: string
      fullName: string | null
      age: number | null
      role: 'admin' | 'member' | null
      insertedAt: Date
      updatedAt: Date
    }>()
    expectTypeOf(User.table.$inferInsert).toEqualTypeOf<{
      email: string
      id?: string | undefined
      fullName?: string | null | undefined
      age?: number | null | undefined
      role?: 'admin' | 'member' | null | undefined
      insertedAt?: Date | undefined
      updatedAt?: Date | undefined
    }>()
  })

  test('Post rows carry authorId typed like User.id', () => {
    expectTypeOf(Post.table.$inferSelect).toEqualTypeOf<{ id: number; title: string; authorId: string }>()
    expectTypeOf(Post.table.$inferInsert).toEqualTypeOf<{ title: string; authorId: string; id?: number | undefined }>()
  })

  test('names are literal types', () => {
    expectTypeOf(User.name).toEqualTypeOf<'User'>()
    expectTypeOf(User.tableName).toEqualTypeOf<'users'>()
    expectTypeOf(User.table._.name).toEqualTypeOf<'users'>()
  })

  test('drizzle queries infer the row', () => {
    const db = drizzle({ connection: { url: 'file:unused.db' } })
    const select = () => db.select().from(Post.table)
    expectTypeOf<Awaited<ReturnType<typeof select>>>().toEqualTypeOf<
      { id: number; title: string; authorId: string }[]
    >()
    const pick = () => db.select({ email: User.table.email }).from(User.table)
    expectTypeOf<Awaited<ReturnType<typeof pick>>>().toEqualTypeOf<{ email: string }[]>()
    // @ts-expect-error title is required
    db.insert(Post.table).values({ authorId: 'x' })
    // @ts-expect-error role must be one of the enum values
    db.insert(User.table).values({ email: 'a@b.c', role: 'owner' })
  })
})

describe('every attribute type', () => {
  const Everything = defineResource({
    name: 'Everything',
    attributes: {
      id: attr.integer({ primaryKey: true }),
      string: attr.string(),
      ciString: attr.ciString(),
      integer: attr.integer(),
      float: attr.float(),
      decimal: attr.decimal(),
      boolean: attr.boolean(),
      uuid: attr.uuid(),
      date: attr.date(),
      time: attr.time(),
      utcDatetime: attr.utcDatetime(),
      utcDatetimeUsec: attr.utcDatetimeUsec(),
      naiveDatetime: attr.naiveDatetime(),
      map: attr.json(),
      settings: attr.json<{ theme: 'dark' | 'light'; size: number }>(),
      tags: attr.array('string'),
      scores: attr.array('integer'),
      flags: attr.array('boolean'),
      blob: attr.binary(),
      status: attr.enum(['draft', 'published']),
    },
    sqlite: { repo, table: 'everything' },
  })

  test('select types', () => {
    expectTypeOf(Everything.table.$inferSelect).toEqualTypeOf<{
      id: number
      string: string | null
      ciString: string | null
      integer: number | null
      float: number | null
      decimal: string | null
      boolean: boolean | null
      uuid: string | null
      date: string | null
      time: string | null
      utcDatetime: Date | null
      utcDatetimeUsec: Date | null
      naiveDatetime: Date | null
      map: Record<string, unknown> | null
      settings: { theme: 'dark' | 'light'; size: number } | null
      tags: string[] | null
      scores: number[] | null
      flags: boolean[] | null
      blob: Uint8Array | null
      status: 'draft' | 'published' | null
    }>()
  })

  test('only the primary key is required on insert', () => {
    expectTypeOf<keyof typeof Everything.table.$inferInsert>().toEqualTypeOf<
      keyof typeof Everything.table.$inferSelect
    >()
    expectTypeOf<{ id: number }>().toExtend<typeof Everything.table.$inferInsert>()
  })
})

describe('options', () => {
  const Options = defineResource({
    name: 'Options',
    attributes: {
      id: attr.uuidPrimaryKey(),
      required: attr.string({ allowNull: false }),
      withDefault: attr.string({ allowNull: false, default: 'x' }),
      withSqlDefault: attr.utcDatetime({ allowNull: false, default: sql`CURRENT_TIMESTAMP` }),
      nullDefault: attr.integer({ allowNull: false, default: null }),
      generated: attr.string({ generated: { as: sql`upper(required)` } }),
      generatedNotNull: attr.string({ allowNull: false, generated: { as: 'lower(required)', mode: 'stored' } }),
      settings: attr.json<{ a: number }>({ allowNull: false }),
      settingsWithDefault: attr.json<{ a: number }>({ allowNull: false, default: { a: 1 } }),
      nullableSettingsWithDefault: attr.json<{ a: number }>({ default: { a: 1 } }),
      generatedJson: attr.json<{ a: number }>({ generated: { as: "json_object('a', 1)" } }),
      role: attr.enum(['a', 'b'], { allowNull: false, default: 'a' }),
      list: attr.array('float', { allowNull: false, default: [1.5] }),
      created: attr.createTimestamp(),
      updated: attr.updateTimestamp({ source: 'changed_at' }),
    },
    sqlite: { repo, table: 'options' },
  })

  test('allowNull, default and generated shape select and insert types', () => {
    expectTypeOf(Options.table.$inferSelect).toEqualTypeOf<{
      id: string
      required: string
      withDefault: string
      withSqlDefault: Date
      nullDefault: number
      generated: string | null
      generatedNotNull: string
      settings: { a: number }
      settingsWithDefault: { a: number }
      nullableSettingsWithDefault: { a: number } | null
      generatedJson: { a: number } | null
      role: 'a' | 'b'
      list: number[]
      created: Date
      updated: Date
    }>()
    expectTypeOf(Options.table.$inferInsert).toEqualTypeOf<{
      required: string
      nullDefault: number
      settings: { a: number }
      id?: string | undefined
      withDefault?: string | undefined
      withSqlDefault?: Date | undefined
      settingsWithDefault?: { a: number } | undefined
      nullableSettingsWithDefault?: { a: number } | null | undefined
      role?: 'a' | 'b' | undefined
      list?: number[] | undefined
      created?: Date | undefined
      updated?: Date | undefined
    }>()
  })

  test('defaults must fit the type', () => {
    // @ts-expect-error an integer default must be a number
    attr.integer({ default: 'x' })
    // @ts-expect-error an enum default must be one of the values
    attr.enum(['a', 'b'], { default: 'c' })
    // @ts-expect-error a json default must fit T
    attr.json<{ a: number }>({ default: { a: 'x' } })
    attr.utcDatetime({ default: new Date(0) })
    attr.decimal({ default: 1.5 })
  })
})

describe('belongsTo', () => {
  const Org = defineResource({
    name: 'Org',
    attributes: { id: attr.integerPrimaryKey(), code: attr.string({ allowNull: false }) },
    identities: { uniqueCode: ['code'] },
    sqlite: { repo, table: 'orgs' },
  })
  const Member = defineResource({
    name: 'Member',
    attributes: { id: attr.uuidPrimaryKey() },
    relationships: {
      org: belongsTo(() => Org),
      requiredOrg: belongsTo(() => Org, { allowNull: false }),
      byCode: belongsTo(() => Org, { destinationAttribute: 'code', attribute: 'orgCode' }),
      manager: belongsTo((): AnyResource => Member, { attributeType: 'uuid' }),
      loose: belongsTo((): AnyResource => Member),
    },
    sqlite: { repo, table: 'members' },
  })

  test('key types follow the destination attribute', () => {
    expectTypeOf(Member.table.$inferSelect).toEqualTypeOf<{
      id: string
      orgId: number | null
      requiredOrgId: number
      orgCode: string | null
      managerId: string | null
      looseId: unknown
    }>()
  })

  test('primary key keys of join resources', () => {
    const Membership = defineResource({
      name: 'Membership',
      attributes: { since: attr.date() },
      relationships: {
        org: belongsTo(() => Org, { primaryKey: true }),
        member: belongsTo(() => Member, { primaryKey: true }),
      },
      sqlite: { repo, table: 'memberships' },
    })
    expectTypeOf(Membership.table.$inferSelect).toEqualTypeOf<{
      since: string | null
      orgId: number
      memberId: string
    }>()
    expectTypeOf(Membership.table.$inferInsert).toEqualTypeOf<{
      orgId: number
      memberId: string
      since?: string | null | undefined
    }>()
  })

  test('options referring to attributes are checked', () => {
    defineResource({
      name: 'Checked',
      attributes: { id: attr.integerPrimaryKey(), name: attr.string() },
      relationships: { org: belongsTo(() => Org) },
      identities: {
        uniqueName: ['name', 'orgId'],
        // @ts-expect-error unknown attribute
        bad: ['nope'],
      },
      sqlite: {
        repo,
        table: 'checked',
        // @ts-expect-error references only name belongsTo relationships
        references: { nope: { onDelete: 'delete' } },
        // @ts-expect-error unknown attribute
        migrationTypes: { nope: 'text' },
      },
    })
    defineResource({
      name: 'Checked2',
      attributes: { id: attr.integerPrimaryKey() },
      relationships: { org: belongsTo(() => Org) },
      // @ts-expect-error onDelete values are delete, nilify, restrict, nothing, update
      sqlite: { repo, table: 'checked2', references: { org: { onDelete: 'explode' } } },
    })
  })
})

describe('the wide Resource type', () => {
  test('every resource is a Resource, whose table is a plain SQLiteTable', () => {
    expectTypeOf(User).toExtend<Resource>()
    expectTypeOf(Post).toExtend<AnyResource>()
    expectTypeOf<Resource['table']>().toEqualTypeOf<SQLiteTable>()
    expectTypeOf(collectTableStates([User, Post])).toEqualTypeOf<TableState[]>()
    expectTypeOf(defineDomain({ name: 'blog', resources: [User, Post] }).resources).toEqualTypeOf<
      readonly (typeof User | typeof Post)[]
    >()
  })

  test('hasMany and hasOne add no columns', () => {
    const Author = defineResource({
      name: 'Author',
      attributes: { id: attr.integerPrimaryKey() },
      relationships: { posts: hasMany(() => Post), profile: hasOne(() => User) },
      sqlite: { repo, table: 'authors' },
    })
    expectTypeOf(Author.table.$inferSelect).toEqualTypeOf<{ id: number }>()
    expectTypeOf(Author.relationships.posts.target).returns.toEqualTypeOf<typeof Post>()
  })
})
