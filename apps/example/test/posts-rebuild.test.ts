/**
 * A change that rebuilds `posts` in the example app (a new default for `body`) must migrate and roll back with
 * rows in every table: Comment declares the triggers `comments_count_on_insert`/`_on_delete`, which live on
 * `comments` but update `posts`, and a rebuild of `posts` used to fail at its RENAME because of them. Runs the
 * built CLI on a copy of the app (inside this folder, so the copy resolves the workspace packages).
 */
import { execFile } from 'node:child_process'
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { type Client, createClient } from '@libsql/client'
import { afterAll, beforeAll, expect, it } from 'vitest'

const appDir = fileURLToPath(new URL('..', import.meta.url))
const require = createRequire(import.meta.url)
const cliBin = join(dirname(require.resolve('@ash-sqlite/migrations/package.json')), 'bin', 'ash-sqlite.js')

let copyDir: string
let client: Client

beforeAll(async () => {
  copyDir = await mkdtemp(join(appDir, '.posts-rebuild-'))
  for (const entry of ['ash-sqlite.config.ts', 'src', 'migrations', 'resource_snapshots', 'package.json']) {
    await cp(join(appDir, entry), join(copyDir, entry), { recursive: true })
  }
  client = createClient({ url: pathToFileURL(join(copyDir, 'main.db')).href })
})

afterAll(async () => {
  client?.close()
  await rm(copyDir, { recursive: true, force: true })
})

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    ...process.env,
    MAIN_DB_URL: pathToFileURL(join(copyDir, 'main.db')).href,
    ANALYTICS_DB_URL: pathToFileURL(join(copyDir, 'analytics.db')).href,
    NO_COLOR: '1',
    CI: 'true',
  }
  return new Promise((resolve) => {
    execFile(process.execPath, [cliBin, ...args], { cwd: copyDir, env }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr })
    })
  })
}

/** Every schema object (quotes and whitespace aside: a rebuilt table's CREATE text is rewritten) and every row. */
async function dump(): Promise<{ objects: string[]; rows: Record<string, unknown[]> }> {
  const master = await client.execute(
    "SELECT type, name, sql FROM sqlite_master WHERE name NOT IN ('__drizzle_migrations', 'sqlite_sequence') ORDER BY type, name",
  )
  const objects = master.rows.map((row) => `${row.type} ${row.name}: ${String(row.sql ?? '').replace(/[`"\s]/g, '')}`)
  const rows: Record<string, unknown[]> = {}
  for (const row of master.rows) {
    if (row.type !== 'table' || String(row.name).startsWith('sqlite_')) continue
    rows[String(row.name)] = (await client.execute(`SELECT * FROM "${row.name}" ORDER BY rowid`)).rows.map(
      (values) => ({
        ...values,
      }),
    )
  }
  rows.sqlite_sequence = (await client.execute('SELECT * FROM sqlite_sequence ORDER BY name')).rows.map((values) => ({
    ...values,
  }))
  return { objects, rows }
}

it('rebuilds posts with its comment-count triggers in place, up and down, keeping every row', async () => {
  expect((await cli('migrate')).code).toBe(0)
  await client.executeMultiple(`
    INSERT INTO users (id, email, handle, role, inserted_at, updated_at) VALUES
      ('u1', 'ann@example.com', 'ann', 'author', 't', 't'), ('u2', 'bob@example.com', 'bob', 'reader', 't', 't');
    INSERT INTO posts (id, slug, title, author_id, inserted_at, updated_at) VALUES
      (1, 'one', 'One', 'u1', 't', 't'), (2, 'two', 'Two', 'u1', 't', 't'), (3, 'three', 'Three', 'u2', 't', 't');
    INSERT INTO comments (id, body, post_id, author_id, inserted_at) VALUES
      ('c1', 'hi', 1, 'u2', 't'), ('c2', 'yo', 1, NULL, 't'), ('c3', 'ok', 2, 'u1', 't');
    INSERT INTO tags (id, name) VALUES (1, 'news');
    INSERT INTO post_tags (post_id, tag_id) VALUES (1, 1), (3, 1);
    DELETE FROM posts WHERE id = 3;
  `)
  const before = await dump()
  expect(before.rows.posts?.map((row) => (row as { comment_count: number }).comment_count)).toEqual([2, 1])

  const blog = join(copyDir, 'src', 'domain', 'blog.ts')
  const source = await readFile(blog, 'utf8')
  const changed = source.replace(
    "body: attr.string({ allowNull: false, default: '' })",
    "body: attr.string({ allowNull: false, default: 'no body yet' })",
  )
  expect(changed).not.toBe(source)
  await writeFile(blog, changed)
  const generated = await cli('generate', 'posts_body_default', '--json')
  expect(generated.stderr).toBe('')
  expect(generated.code).toBe(0)
  const up = await readFile(
    join(
      copyDir,
      'migrations',
      'main',
      (JSON.parse(generated.stdout).repos as { repo: string; migration: { folder: string } }[]).find(
        (repo) => repo.repo === 'main',
      )!.migration.folder,
      'migration.sql',
    ),
    'utf8',
  )
  expect(up).toContain('CREATE TABLE `__new_posts`')
  expect(up).toContain('DROP TRIGGER comments_count_on_insert')

  expect((await cli('migrate', '--repo', 'main')).code).toBe(0)
  const afterUp = await dump()
  expect(afterUp.rows).toEqual(before.rows)
  expect(afterUp.objects.filter((object) => !object.startsWith('table posts:'))).toEqual(
    before.objects.filter((object) => !object.startsWith('table posts:')),
  )
  expect(afterUp.objects.find((object) => object.startsWith('table posts:'))).toContain("DEFAULT'nobodyyet'")

  const rolledBack = await cli('rollback', '--repo', 'main')
  expect(rolledBack.stderr).toBe('')
  expect(rolledBack.code).toBe(0)
  expect(await dump()).toEqual(before)

  // The triggers still count, and the next post does not reuse the deleted id 3.
  await client.execute("INSERT INTO comments (id, body, post_id, inserted_at) VALUES ('c4', 'again', 2, 't')")
  await client.execute(
    "INSERT INTO posts (slug, title, author_id, inserted_at, updated_at) VALUES ('four', 'Four', 'u2', 't', 't')",
  )
  expect(
    (await client.execute('SELECT id, comment_count FROM posts ORDER BY id')).rows.map((row) => ({ ...row })),
  ).toEqual([
    { id: 1, comment_count: 2 },
    { id: 2, comment_count: 2 },
    { id: 4, comment_count: 0 },
  ])
})
