// A shared "db" package of a monorepo: resources exported with their inferred types, compiled with declarations.
import { attr, belongsTo, defineDomain, defineRepo, defineResource, hasMany, manyToMany } from '@ash-sqlite/resource'

export const main = defineRepo({ name: 'main', url: 'file:unused.db' })

export const User = defineResource({
  name: 'User',
  attributes: {
    id: attr.uuidV7PrimaryKey(),
    email: attr.ciString({ allowNull: false }),
    role: attr.enum(['admin', 'member'], { default: 'member', check: true }),
    visits: attr.bigint({ default: 0n }),
    lastSeenAt: attr.utcDatetime({ storage: 'unixepoch' }),
    settings: attr.json<{ theme: 'dark' | 'light' }>(),
    tags: attr.array('string'),
    avatar: attr.binary(),
    ...attr.timestamps(),
  },
  relationships: { posts: hasMany(() => Post), groups: manyToMany(() => Group, { through: () => Membership }) },
  identities: { email: ['email'] },
  sqlite: { repo: main, table: 'users', checkConstraints: [{ name: 'email_has_at', check: "email LIKE '%@%'" }] },
})

export const Post = defineResource({
  name: 'Post',
  attributes: { id: attr.integerPrimaryKey(), title: attr.string({ allowNull: false }) },
  relationships: { author: belongsTo(() => User, { allowNull: false }) },
  sqlite: { repo: main, table: 'posts', customIndexes: [{ fields: [{ expression: 'lower(title)' }] }] },
})

export const Group = defineResource({
  name: 'Group',
  attributes: { id: attr.integerPrimaryKey(), name: attr.string({ allowNull: false }) },
  sqlite: { repo: main, table: 'groups' },
})

export const Membership = defineResource({
  name: 'Membership',
  attributes: {},
  relationships: {
    user: belongsTo(() => User, { primaryKey: true }),
    group: belongsTo(() => Group, { primaryKey: true }),
  },
  sqlite: { repo: main, table: 'memberships' },
})

export const blog = defineDomain({ name: 'blog', resources: [User, Post, Group, Membership] })
