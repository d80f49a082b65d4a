// The example of DESIGN.md section 2, used by the state, DDL and round-trip tests.
import { sql } from 'drizzle-orm'
import { type AnyResource, attr, belongsTo, defineDomain, defineRepo, defineResource, hasMany } from '../index.js'

export const main = defineRepo({ name: 'main', url: 'file:unused.db' })

export const User = defineResource({
  name: 'User',
  attributes: {
    id: attr.uuidPrimaryKey(),
    email: attr.ciString({ allowNull: false }),
    fullName: attr.string({ renamedFrom: 'name' }),
    age: attr.integer({ default: 0 }),
    role: attr.enum(['admin', 'member'], { default: 'member' }),
    ...attr.timestamps(),
  },
  relationships: { posts: hasMany((): AnyResource => Post) },
  identities: { uniqueEmail: ['email'] },
  sqlite: { repo: main, table: 'users' },
})

export const Post = defineResource({
  name: 'Post',
  attributes: { id: attr.integerPrimaryKey(), title: attr.string({ allowNull: false }) },
  relationships: { author: belongsTo(() => User, { allowNull: false }) },
  sqlite: {
    repo: main,
    table: 'posts',
    references: { author: { onDelete: 'delete', onUpdate: 'update' } },
    customIndexes: [{ fields: ['title'], unique: false, where: sql`title IS NOT NULL` }],
    customStatements: [
      {
        name: 'posts_title_upper',
        up: 'CREATE TRIGGER posts_title_upper AFTER INSERT ON posts BEGIN UPDATE posts SET title = upper(new.title) WHERE id = new.id; END',
        down: 'DROP TRIGGER posts_title_upper',
      },
    ],
  },
})

export const blog = defineDomain({ name: 'blog', resources: [User, Post] })
