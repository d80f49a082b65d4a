/**
 * A throwaway git project for branch merges: `posts` (id, title) with `comments` children (ON DELETE
 * CASCADE), whose shape each branch changes. Databases are files of the project, one per name.
 */
import { mkdtemp, readdir, readFile, realpath, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative, sep } from 'node:path'
import { attr, belongsTo, defineDomain, defineRepo, defineResource } from '@ash-sqlite/resource'
import { defineConfig } from '../../config/define-config.js'
import { resolveConfig } from '../../config/resolve-config.js'
import type { ResolvedConfig } from '../../config/resolved-config.js'
import { git, initGitRepo } from '../../test-utils/git-repo.js'
import { queryRows } from '../../test-utils/sqlite-file.js'

/** What a branch did to `posts`. */
export interface PostsShape {
  /** + subtitle text (an ADD COLUMN). */
  subtitle?: boolean
  /** + slug text (an ADD COLUMN); 'indexed' adds a custom index on it too. */
  slug?: boolean | 'indexed'
  /** + summary text (an ADD COLUMN). */
  summary?: boolean
  /** title becomes NOT NULL DEFAULT 'untitled' (SQLite rebuilds the table). */
  titleRequired?: boolean
}

export interface MergeProject {
  readonly dir: string
  /** One repo `main` on database `<database>.db`, or a fleet `main` over `databases`. */
  config(shape: PostsShape, database?: string | { fleet: { name: string; url: string }[] }): ResolvedConfig
  git(...args: string[]): Promise<string>
  files(): Promise<Record<string, string>>
  /** Rows of a table of a database file, ordered by id. */
  rows(database: string, table: string): Promise<Record<string, unknown>[]>
  /** Each table's columns (name, type, notnull, default, pk), foreign keys and indexes: the schema to compare. */
  schema(database: string): Promise<Record<string, unknown>>
  remove(): Promise<void>
}

export async function createMergeProject(): Promise<MergeProject> {
  const dir = await realpath(await mkdtemp(join(tmpdir(), 'ash-sqlite-merge-test-')))
  await initGitRepo(dir)
  await writeFile(join(dir, '.gitignore'), '*.db\n*.db-*\n.ash-sqlite/\n')
  return {
    dir,
    config: (shape, database = 'main') => configOf(dir, shape, database),
    git: (...args) => git(dir, ...args),
    files: () => projectFiles(dir),
    rows: (database, table) => queryRows(join(dir, `${database}.db`), `SELECT * FROM ${table} ORDER BY id`),
    schema: (database) => schemaOf(join(dir, `${database}.db`)),
    remove: () => rm(dir, { recursive: true, force: true }),
  }
}

function configOf(
  dir: string,
  shape: PostsShape,
  database: string | { fleet: { name: string; url: string }[] },
): ResolvedConfig {
  const repo =
    typeof database === 'string'
      ? defineRepo({ name: 'main', url: `file:${database}.db` })
      : defineRepo({ name: 'main', databases: async () => database.fleet })
  const Post = defineResource({
    name: 'Post',
    attributes: {
      id: attr.integerPrimaryKey(),
      title: shape.titleRequired ? attr.string({ allowNull: false, default: 'untitled' }) : attr.string(),
      ...(shape.subtitle ? { subtitle: attr.string() } : {}),
      ...(shape.slug ? { slug: attr.string() } : {}),
      ...(shape.summary ? { summary: attr.string() } : {}),
    },
    sqlite: {
      repo,
      table: 'posts',
      customIndexes: shape.slug === 'indexed' ? [{ fields: ['slug'], unique: false }] : [],
    },
  })
  const Comment = defineResource({
    name: 'Comment',
    attributes: { id: attr.integerPrimaryKey(), body: attr.string() },
    relationships: { post: belongsTo(() => Post, { allowNull: false }) },
    sqlite: { repo, table: 'comments', references: { post: { onDelete: 'delete' } } },
  })
  const domain = defineDomain({ name: 'blog', resources: [Post, Comment] })
  return resolveConfig(defineConfig({ domains: [domain] }), { cwd: dir })
}

async function schemaOf(file: string): Promise<Record<string, unknown>> {
  const tables = await queryRows(
    file,
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%' ORDER BY name",
  )
  const schema: Record<string, unknown> = {}
  for (const { name } of tables) {
    const columns = await queryRows(
      file,
      `SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info('${name}') ORDER BY name`,
    )
    const foreignKeys = await queryRows(
      file,
      `SELECT "table", "from", "to", on_delete FROM pragma_foreign_key_list('${name}') ORDER BY "from"`,
    )
    const indexes = await queryRows(
      file,
      `SELECT name, "unique" FROM pragma_index_list('${name}') WHERE origin = 'c' ORDER BY name`,
    )
    schema[String(name)] = { columns, foreignKeys, indexes }
  }
  return schema
}

async function projectFiles(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {}
  for (const root of ['migrations', 'resource_snapshots']) {
    const entries = await readdir(join(dir, root), { recursive: true, withFileTypes: true }).catch(() => [])
    for (const entry of entries) {
      if (!entry.isFile()) continue
      const path = join(entry.parentPath, entry.name)
      files[relative(dir, path).split(sep).join('/')] = await readFile(path, 'utf8')
    }
  }
  return Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}
