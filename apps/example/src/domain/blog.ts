import { attr, belongsTo, defineDomain, defineResource, hasMany, manyToMany } from '@ash-sqlite/resource'
import { main } from './repos.js'

export const User = defineResource({
  name: 'User',
  attributes: {
    id: attr.uuidPrimaryKey(),
    email: attr.ciString({ allowNull: false }),
    handle: attr.string({ allowNull: false }),
    displayName: attr.string(),
    // check: true makes the database refuse any other value too (a CHECK constraint users_role_enum).
    role: attr.enum(['admin', 'author', 'reader'], { allowNull: false, default: 'reader', check: true }),
    ...attr.timestamps(),
  },
  // Each relationship is also a Drizzle relation: db.query.users.findMany({ with: { posts: true } }).
  relationships: { posts: hasMany(() => Post), comments: hasMany(() => Comment) },
  identities: { uniqueEmail: ['email'], uniqueHandle: ['handle'] },
  sqlite: { repo: main, table: 'users' },
})

export const Post = defineResource({
  name: 'Post',
  attributes: {
    id: attr.integerPrimaryKey(),
    slug: attr.string({ allowNull: false }),
    title: attr.string({ allowNull: false }),
    body: attr.string({ allowNull: false, default: '' }),
    status: attr.enum(['draft', 'published'], { allowNull: false, default: 'draft' }),
    publishedAt: attr.utcDatetime(),
    // Kept up to date by the triggers below, so listing posts never counts comments.
    commentCount: attr.integer({ allowNull: false, default: 0 }),
    ...attr.timestamps(),
  },
  relationships: {
    author: belongsTo(() => User, { allowNull: false }),
    comments: hasMany(() => Comment),
    tags: manyToMany(() => Tag, { through: () => PostTag }),
  },
  identities: { uniqueSlug: ['slug'] },
  sqlite: {
    repo: main,
    table: 'posts',
    references: { author: { onDelete: 'delete' } },
    checkConstraints: [
      {
        name: 'posts_published_have_a_date',
        check: "status <> 'published' OR published_at IS NOT NULL",
        message: 'a published post needs publishedAt',
      },
    ],
    // The front page lists an author's published posts, newest first.
    customIndexes: [{ fields: ['authorId', 'publishedAt'], where: 'published_at IS NOT NULL' }],
  },
})

export const Comment = defineResource({
  name: 'Comment',
  attributes: {
    id: attr.uuidPrimaryKey(),
    body: attr.string({ allowNull: false }),
    insertedAt: attr.createTimestamp(),
  },
  relationships: {
    post: belongsTo(() => Post, { allowNull: false }),
    author: belongsTo(() => User),
  },
  sqlite: {
    repo: main,
    table: 'comments',
    // Deleting a post deletes its comments; deleting a user keeps their comments, anonymous.
    references: { post: { onDelete: 'delete' }, author: { onDelete: 'nilify' } },
    customIndexes: [{ fields: ['postId', 'insertedAt'] }],
    customStatements: [
      {
        name: 'comments_count_on_insert',
        up: `CREATE TRIGGER comments_count_on_insert AFTER INSERT ON comments BEGIN
  UPDATE posts SET comment_count = comment_count + 1 WHERE id = NEW.post_id;
END`,
        down: 'DROP TRIGGER comments_count_on_insert',
      },
      {
        name: 'comments_count_on_delete',
        up: `CREATE TRIGGER comments_count_on_delete AFTER DELETE ON comments BEGIN
  UPDATE posts SET comment_count = comment_count - 1 WHERE id = OLD.post_id;
END`,
        down: 'DROP TRIGGER comments_count_on_delete',
      },
    ],
  },
})

export const Tag = defineResource({
  name: 'Tag',
  attributes: {
    id: attr.integerPrimaryKey(),
    name: attr.ciString({ allowNull: false }),
  },
  relationships: { posts: manyToMany(() => Post, { through: () => PostTag }) },
  identities: { uniqueName: ['name'] },
  sqlite: { repo: main, table: 'tags' },
})

/** Join resource: its primary key is the pair of foreign keys. */
export const PostTag = defineResource({
  name: 'PostTag',
  attributes: {},
  relationships: {
    post: belongsTo(() => Post, { primaryKey: true, allowNull: false }),
    tag: belongsTo(() => Tag, { primaryKey: true, allowNull: false }),
  },
  sqlite: {
    repo: main,
    table: 'post_tags',
    references: { post: { onDelete: 'delete' }, tag: { onDelete: 'delete' } },
  },
})

export const blog = defineDomain({ name: 'blog', resources: [User, Post, Comment, Tag, PostTag] })
