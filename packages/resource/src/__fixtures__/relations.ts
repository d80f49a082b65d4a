/**
 * A blog whose resources refer to each other through every kind of relationship, written without a single
 * type annotation: the Drizzle relations (and their types) come from these definitions alone.
 */
import { attr, belongsTo, defineDomain, defineRepo, defineResource, hasMany, hasOne, manyToMany } from '../index.js'

export const repo = defineRepo({ name: 'main', url: 'file:unused.db' })

export const Author = defineResource({
  name: 'Author',
  attributes: { id: attr.integerPrimaryKey(), name: attr.string({ allowNull: false }) },
  relationships: {
    posts: hasMany(() => Article, { destinationAttribute: 'authorId' }),
    profile: hasOne(() => Profile),
  },
  sqlite: { repo, table: 'authors' },
})

export const Profile = defineResource({
  name: 'Profile',
  attributes: { id: attr.integerPrimaryKey(), bio: attr.string() },
  relationships: { author: belongsTo(() => Author, { allowNull: false }) },
  identities: { oneProfile: ['authorId'] },
  sqlite: { repo, table: 'profiles' },
})

export const Article = defineResource({
  name: 'Article',
  attributes: { id: attr.integerPrimaryKey(), title: attr.string({ allowNull: false }) },
  relationships: {
    author: belongsTo(() => Author, { allowNull: false }),
    editor: belongsTo(() => Author),
    comments: hasMany(() => Remark),
    tags: manyToMany(() => Label, { through: () => ArticleLabel }),
  },
  sqlite: { repo, table: 'articles', references: { author: { onDelete: 'delete' } } },
})

export const Remark = defineResource({
  name: 'Remark',
  attributes: { id: attr.integerPrimaryKey(), body: attr.string({ allowNull: false }) },
  relationships: { article: belongsTo(() => Article, { allowNull: false }) },
  sqlite: { repo, table: 'remarks' },
})

export const Label = defineResource({
  name: 'Label',
  attributes: { id: attr.integerPrimaryKey(), name: attr.string({ allowNull: false }) },
  relationships: { articles: manyToMany(() => Article, { through: () => ArticleLabel }) },
  sqlite: { repo, table: 'labels' },
})

export const ArticleLabel = defineResource({
  name: 'ArticleLabel',
  attributes: {},
  relationships: {
    article: belongsTo(() => Article, { primaryKey: true }),
    label: belongsTo(() => Label, { primaryKey: true }),
  },
  sqlite: { repo, table: 'article_labels' },
})

export const Folder = defineResource({
  name: 'Folder',
  attributes: { id: attr.integerPrimaryKey(), name: attr.string({ allowNull: false }) },
  relationships: {
    parent: belongsTo(() => Folder, { attributeType: 'integer' }),
    children: hasMany(() => Folder, { destinationAttribute: 'parentId' }),
  },
  sqlite: { repo, table: 'folders' },
})

export const publishing = defineDomain({
  name: 'publishing',
  resources: [Author, Profile, Article, Remark, Label, ArticleLabel],
})

export const filing = defineDomain({ name: 'filing', resources: [Folder] })
