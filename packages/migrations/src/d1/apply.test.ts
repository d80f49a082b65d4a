/**
 * The D1 applier on a real local D1, with migrations written by the real generator for a `dialect: 'd1'`
 * repo: the parent rebuild keeps every child row up and down, a migration that would orphan rows fails and
 * changes nothing, concurrent migrators apply each migration once, status / rollback / the hash check, and
 * interop with drizzle-orm's D1 migrator and with databases wrangler migrated.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { drizzle } from 'drizzle-orm/d1'
import { migrate as drizzleMigrate } from 'drizzle-orm/d1/migrator'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { migrate, rollback, status } from '../migrator/index.js'
import { d1Batch, d1Dump, d1Rows, type LocalD1, startLocalD1 } from '../test-utils/local-d1.js'
import {
  createD1Project,
  type D1Project,
  d1RepoName,
  familyData,
  firstSchema,
  rebuiltSchema,
} from './__fixtures__/d1-project.js'
import { renderD1Rebuild, renderForeignKeyAssertion } from './rebuild.js'

const bindings = ['LIFECYCLE', 'CONCURRENT', 'ORPHANS', 'HASH', 'DRIZZLE', 'WRANGLER'] as const
let local: LocalD1
let project: D1Project
let first: string
let second: string

beforeAll(async () => {
  ;[local, project] = await Promise.all([startLocalD1({ bindings }), createD1Project()])
  first = await project.generateAt(firstSchema, 1, 'family')
  second = await project.generateAt(rebuiltSchema, 2, 'name_not_null')
})
afterAll(async () => {
  await Promise.all([local?.dispose(), project?.project.remove()])
})

const config = () => project.config(rebuiltSchema)
const options = async (binding: (typeof bindings)[number]) => ({ repo: d1RepoName, d1: await local.binding(binding) })

describe('generated D1 migrations', () => {
  test('are plain statements D1 accepts: no BEGIN, no PRAGMA foreign_keys, no rename-swap rebuild', async () => {
    const up = await readFile(join(project.migrationsDir, second, 'migration.sql'), 'utf8')
    const down = await readFile(join(project.migrationsDir, second, 'down.sql'), 'utf8')
    for (const sql of [up, down]) {
      expect(sql).not.toMatch(/PRAGMA foreign_keys|BEGIN TRANSACTION|__new_|RENAME TO/i)
      expect(sql).toMatch(/PRAGMA defer_foreign_keys = ON;/)
      expect(sql).toMatch(/CREATE TRIGGER "__ash_sqlite_keep_users_posts_delete" BEFORE DELETE ON "posts"/)
      expect(sql).toMatch(/CREATE TRIGGER "__ash_sqlite_keep_users_profiles_update" BEFORE UPDATE ON "profiles"/)
      expect(sql).not.toMatch(/ON "invoices"/)
    }
  })
})

describe('migrate / rollback / status over a D1 binding', () => {
  test('the parent rebuild keeps every row and object, up and down; status follows', async () => {
    const opts = await options('LIFECYCLE')
    const db = opts.d1
    const firstRun = await migrate(config(), { ...opts, to: first })
    expect(firstRun.ok).toBe(true)
    expect(firstRun.databases[0]?.results.map((r) => [r.migrationName, r.status])).toEqual([[first, 'success']])
    await d1Batch(db, familyData)
    const before = await d1Dump(db)

    const up = await migrate(config(), opts)
    expect(up.databases[0]?.error).toBeUndefined()
    expect(up.databases[0]?.results.map((r) => r.status)).toEqual(['success'])
    const after = await d1Dump(db)
    expect(after.objects.map((o) => `${o.type} ${o.name}`)).toEqual(before.objects.map((o) => `${o.type} ${o.name}`))
    for (const child of ['posts', 'profiles', 'invoices', 'users'])
      expect(after.rows[child], child).toEqual(before.rows[child])
    expect(after.rows.audit).toEqual([])
    expect(await d1Rows(db, 'SELECT count(*) AS n FROM user_posts')).toEqual([{ n: 4 }])
    expect(await d1Rows(db, 'SELECT * FROM pragma_foreign_key_check')).toEqual([])
    const applied = await status(config(), opts)
    expect(applied.databases[0]?.migrations.map((m) => [m.name, m.state])).toEqual([
      [first, 'applied'],
      [second, 'applied'],
    ])

    const down = await rollback(config(), opts)
    expect(down.databases[0]?.results.map((r) => [r.migrationName, r.direction, r.status])).toEqual([
      [second, 'down', 'success'],
    ])
    expect(await d1Dump(db)).toEqual(before)
    const rolledBack = await status(config(), opts)
    expect(rolledBack.databases[0]?.migrations.map((m) => m.state)).toEqual(['applied', 'pending'])

    expect((await migrate(config(), opts)).ok).toBe(true)
    expect((await d1Dump(db)).rows.posts).toEqual(before.rows.posts)
  })

  test('a migration that would orphan rows fails inside its batch, names the table, changes nothing', async () => {
    const opts = await options('ORPHANS')
    await migrate(config(), { ...opts, to: second })
    await d1Batch(opts.d1, familyData)
    const bad = join(project.migrationsDir, '20260103000000_shift_ids')
    await mkdir(bad, { recursive: true })
    const rebuild = renderD1Rebuild({
      table: 'users',
      createTable:
        "CREATE TABLE `users` (`id` integer PRIMARY KEY AUTOINCREMENT, `name` text DEFAULT '' NOT NULL, `email` text, `manager_id` integer REFERENCES `users`(`id`) ON DELETE CASCADE)",
      copy: [
        { column: 'id', expression: '"id" + 100' },
        { column: 'name', expression: '"name"' },
        { column: 'email', expression: '"email"' },
        { column: 'manager_id', expression: '"manager_id"' },
      ],
      children: [
        { table: 'posts', onDelete: 'CASCADE' },
        { table: 'profiles', onDelete: 'SET NULL' },
      ],
      indexes: [],
      triggers: [],
      autoincrement: true,
      keepRowid: false,
    })
    await writeFile(
      join(bad, 'migration.sql'),
      [...rebuild, ...renderForeignKeyAssertion('users')].join('\n--> statement-breakpoint\n'),
    )
    await writeFile(join(bad, 'down.sql'), '')
    try {
      await d1Batch(opts.d1, [
        `INSERT INTO users (id, name) VALUES (10, 'x')`,
        'INSERT INTO posts (user_id) VALUES (10)',
      ])
      const before = await d1Dump(opts.d1)
      const result = await migrate(config(), opts)
      const failure = result.databases[0]
      expect(result.ok).toBe(false)
      expect(failure?.results.map((r) => r.status)).toEqual(['error'])
      expect(failure?.error?.code).toBe('foreign_key_violation')
      expect(failure?.error?.message).toMatch(
        /20260103000000_shift_ids .*rolled back, nothing changed: rebuilding table users would leave rows/,
      )
      expect(await d1Dump(opts.d1)).toEqual(before)
      const state = await status(config(), opts)
      expect(state.databases[0]?.migrations.at(-1)).toEqual({ name: '20260103000000_shift_ids', state: 'pending' })
    } finally {
      const { rm } = await import('node:fs/promises')
      await rm(bad, { recursive: true, force: true })
    }
  })

  test('concurrent migrators apply each migration exactly once', async () => {
    const opts = await options('CONCURRENT')
    const runs = await Promise.all([1, 2, 3].map(() => migrate(config(), opts)))
    expect(runs.every((run) => run.ok)).toBe(true)
    const statuses = runs.flatMap((run) => run.databases[0]?.results ?? []).map((r) => `${r.migrationName} ${r.status}`)
    for (const name of [first, second]) {
      expect(
        statuses.filter((entry) => entry === `${name} success`),
        name,
      ).toHaveLength(1)
    }
    expect(statuses.every((entry) => / (success|skipped)$/.test(entry))).toBe(true)
    expect(await d1Rows(opts.d1, 'SELECT name FROM __drizzle_migrations ORDER BY id')).toEqual([
      { name: first },
      { name: second },
    ])
  })

  test('an edited applied migration is reported by status and stops migrate; dry runs change nothing', async () => {
    const opts = await options('HASH')
    const dry = await migrate(config(), { ...opts, dryRun: true })
    expect(dry.databases[0]?.results.map((r) => r.status)).toEqual(['not_executed', 'not_executed'])
    expect(await d1Rows(opts.d1, `SELECT name FROM sqlite_master WHERE name = '__drizzle_migrations'`)).toEqual([])
    await migrate(config(), { ...opts, to: first })
    const file = join(project.migrationsDir, first, 'migration.sql')
    const original = await readFile(file, 'utf8')
    try {
      await writeFile(file, `${original}\n-- edited`)
      const state = await status(config(), opts)
      expect(state.databases[0]?.migrations.map((m) => m.state)).toEqual(['changed', 'pending'])
      const refused = await migrate(config(), opts)
      expect(refused.databases[0]?.error?.code).toBe('changed_migration')
      expect(await d1Rows(opts.d1, 'SELECT count(*) AS n FROM __drizzle_migrations')).toEqual([{ n: 1 }])
      const allowed = await migrate(config(), { ...opts, allowChanged: true })
      expect(allowed.databases[0]?.results.map((r) => r.status)).toEqual(['success'])
      expect(allowed.databases[0]?.warnings.join('\n')).toMatch(/changed since it was applied/)
    } finally {
      await writeFile(file, original)
    }
  })
})

describe('interop', () => {
  test("drizzle-orm's D1 migrator and ash-sqlite take turns on one database", async () => {
    const opts = { repo: d1RepoName, d1: await local.proxy('DRIZZLE') }
    await migrate(config(), { ...opts, to: first })
    // drizzle-orm applies what is left (the rebuild), as one batch of its own.
    await drizzleMigrate(drizzle(opts.d1 as never), { migrationsFolder: project.migrationsDir })
    const state = await status(config(), opts)
    expect(state.databases[0]?.migrations.map((m) => m.state)).toEqual(['applied', 'applied'])
    expect((await migrate(config(), opts)).databases[0]?.results).toEqual([])
    const rolledBack = await rollback(config(), { ...opts, all: true })
    expect(rolledBack.databases[0]?.results.map((r) => r.status)).toEqual(['success', 'success'])
  })

  test('a database wrangler migrated (d1_migrations) is adopted without running anything again', async () => {
    const opts = await options('WRANGLER')
    const firstSql = await readFile(join(project.migrationsDir, first, 'migration.sql'), 'utf8')
    await d1Batch(opts.d1, [
      'CREATE TABLE d1_migrations (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)',
      ...firstSql
        .split('--> statement-breakpoint')
        .map((s) => s.trim())
        .filter(Boolean),
      `INSERT INTO d1_migrations (name) VALUES ('${first}/migration.sql')`,
      "INSERT INTO users (name) VALUES ('kept')",
    ])
    const state = await status(config(), opts)
    expect(state.databases[0]?.migrations.map((m) => m.state)).toEqual(['applied', 'pending'])
    const result = await migrate(config(), opts)
    expect(result.databases[0]?.results.map((r) => [r.migrationName, r.status])).toEqual([[second, 'success']])
    expect(result.databases[0]?.warnings.join('\n')).toMatch(/Adopted 1 migration\(s\) that wrangler applied/)
    expect(await d1Rows(opts.d1, 'SELECT name FROM users')).toEqual([{ name: 'kept' }])
    expect(await d1Rows(opts.d1, 'SELECT name FROM __drizzle_migrations ORDER BY id')).toEqual([
      { name: first },
      { name: second },
    ])
  })
})
