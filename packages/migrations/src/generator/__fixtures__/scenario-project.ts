/**
 * End-to-end scenario helpers: resources written with the real DSL, resolved by `resolveConfig` in a
 * throwaway project, generated to disk by `generate`, and the written folders applied to real SQLite files
 * the way the migrator applies them.
 */
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Domain } from '@ash-sqlite/resource'
import type { Client } from '@libsql/client'
import { drizzle } from 'drizzle-orm/libsql'
import { migrate as drizzleMigrate } from 'drizzle-orm/libsql/migrator'
import { expect } from 'vitest'
import { resolveConfig } from '../../config/resolve-config.js'
import type { ResolvedConfig } from '../../config/resolved-config.js'
import { isForeignKeysPragma } from '../../migrator/foreign-keys-pragma.js'
import { generate } from '../generate.js'
import type { GenerateOptions, GenerateResult } from '../types.js'
import { comparable } from './migrations.js'
import { createTestProject, type TestProject } from './project.js'
import { openTestDatabase, type SchemaShape, type TestDatabase } from './sqlite.js'

/** `second` seconds after 2026-01-02T03:04:05Z: each run of a scenario gets its own clock tick. */
export function tick(second: number): Date {
  return new Date(Date.UTC(2026, 0, 2, 3, 4, 5 + second))
}

export interface ScenarioProject {
  readonly cwd: string
  /** `resolveConfig` of a `defineConfig`-style object over these domains, in this project. */
  config(...domains: Domain[]): ResolvedConfig
  generate(domains: Domain | Domain[], options?: GenerateOptions): Promise<GenerateResult>
  /** Every file of the project (relative posix path -> contents). */
  files(): Promise<Record<string, string>>
  /** The repo's migration folders, in name order. */
  folders(repo?: string): Promise<string[]>
  /** Statements of one folder's migration.sql (`up`) or down.sql (`down`). */
  statements(folder: string, direction: 'up' | 'down', repo?: string): Promise<string[]>
  remove(): Promise<void>
}

export async function createScenarioProject(): Promise<ScenarioProject> {
  const project: TestProject = await createTestProject()
  const config = (...domains: Domain[]) => resolveConfig({ domains }, { cwd: project.cwd })
  const repoDir = (repo: string) => join(project.cwd, 'migrations', repo)
  return {
    cwd: project.cwd,
    config,
    generate: (domains, options) => generate(config(...[domains].flat()), options),
    files: () => project.files(),
    async folders(repo = 'main') {
      const entries = await readdir(repoDir(repo), { withFileTypes: true }).catch(() => [])
      return entries
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .sort()
    },
    async statements(folder, direction, repo = 'main') {
      const file = direction === 'up' ? 'migration.sql' : 'down.sql'
      return splitMigrationSql(await readFile(join(repoDir(repo), folder, file), 'utf8'))
    },
    remove: () => project.remove(),
  }
}

export function splitMigrationSql(text: string): string[] {
  return text
    .split('--> statement-breakpoint')
    .map((statement) => statement.trim())
    .filter((statement) => statement !== '')
}

/**
 * Runs statements as the migrator runs one migration (DESIGN.md section 6): foreign keys switched off
 * before BEGIN IMMEDIATE (SQLite ignores the pragma inside a transaction, which is why drizzle-kit's own
 * PRAGMA lines are skipped), one statement at a time, `PRAGMA foreign_key_check` before COMMIT, foreign keys
 * back on afterwards. `client.transaction()` keeps one connection for all of it.
 */
export async function applyLikeMigrator(client: Client, statements: readonly string[]): Promise<void> {
  const tx = await client.transaction('deferred')
  try {
    await tx.executeMultiple('COMMIT; PRAGMA foreign_keys=OFF; BEGIN IMMEDIATE')
    for (const statement of statements) if (!isForeignKeysPragma(statement)) await tx.execute(statement)
    const violations = await tx.execute('PRAGMA foreign_key_check')
    if (violations.rows.length > 0) throw new Error(`foreign key violations: ${JSON.stringify(violations.rows)}`)
    await tx.executeMultiple('COMMIT; PRAGMA foreign_keys=ON')
  } catch (error) {
    await tx.executeMultiple('ROLLBACK; PRAGMA foreign_keys=ON').catch(() => undefined)
    throw error
  } finally {
    tx.close()
  }
}

/** A real SQLite file that follows one repo's migration folders of a scenario project. */
export interface ScenarioDatabase extends TestDatabase {
  /** Applies the folder's migration.sql (`up`) or down.sql (`down`) as the migrator does. */
  run(folder: string, direction: 'up' | 'down'): Promise<void>
  /** Applies every folder of the repo, in name order. */
  upAll(): Promise<void>
  /** Rows of a query, as plain objects. */
  rows(sql: string): Promise<Record<string, unknown>[]>
}

export async function openScenarioDatabase(project: ScenarioProject, repo = 'main'): Promise<ScenarioDatabase> {
  const db = await openTestDatabase()
  const run = async (folder: string, direction: 'up' | 'down') =>
    applyLikeMigrator(db.client, await project.statements(folder, direction, repo))
  return {
    ...db,
    run,
    async upAll() {
      for (const folder of await project.folders(repo)) await run(folder, 'up')
    },
    async rows(sql) {
      return (await db.client.execute(sql)).rows.map((row) => ({ ...row }))
    },
  }
}

/** The schema a fresh project generates for `domains` in one migration, applied to an empty database. */
export async function freshSchema(domains: Domain | Domain[], repo = 'main'): Promise<SchemaShape> {
  const project = await createScenarioProject()
  const db = await openScenarioDatabase(project, repo)
  try {
    await project.generate(domains, { now: tick(0) })
    await db.upAll()
    return await db.schema()
  } finally {
    await db.close()
    await project.remove()
  }
}

/** drizzle-orm's own `migrate()` on a fresh database, over the repo's folders; its tracking table left out. */
export async function schemaByDrizzleMigrate(project: ScenarioProject, repo = 'main'): Promise<SchemaShape> {
  const db = await openTestDatabase()
  try {
    await drizzleMigrate(drizzle({ client: db.client }), { migrationsFolder: join(project.cwd, 'migrations', repo) })
    const schema = await db.schema()
    delete schema.tables.__drizzle_migrations
    return schema
  } finally {
    await db.close()
  }
}

export interface RoundTripOptions {
  /** Statements run before the last migration, to have rows in its way. */
  seed?: readonly string[]
  /** Checks (of data, typically) right after the last migration's up. */
  afterUp?: (db: ScenarioDatabase) => Promise<void>
  /** Checks right after its down. */
  afterDown?: (db: ScenarioDatabase) => Promise<void>
  /** What the schema must be after up; default: what a fresh project generates for `current`. */
  expectedAfterUp?: SchemaShape
  repo?: string
}

/**
 * Applies every folder of the repo but the last, seeds, then runs the last one up (the schema must be the
 * schema `current` gets from nothing, and the one drizzle-orm's migrate() builds from the same folders),
 * down (the schema must be what it was before), and up again (the down left something up can run on).
 */
export async function expectLastMigrationRoundTrips(
  project: ScenarioProject,
  current: Domain | Domain[],
  options: RoundTripOptions = {},
): Promise<void> {
  const repo = options.repo ?? 'main'
  const folders = await project.folders(repo)
  const last = folders.at(-1)
  if (last === undefined) throw new Error(`no migration folder for repo ${repo}`)
  const db = await openScenarioDatabase(project, repo)
  try {
    for (const folder of folders.slice(0, -1)) await db.run(folder, 'up')
    if (options.seed !== undefined) for (const statement of options.seed) await db.client.execute(statement)
    const before = comparable(await db.schema())
    await db.run(last, 'up')
    const after = comparable(await db.schema())
    expect(after).toEqual(comparable(options.expectedAfterUp ?? (await freshSchema(current, repo))))
    expect(after).toEqual(comparable(await schemaByDrizzleMigrate(project, repo)))
    await options.afterUp?.(db)
    await db.run(last, 'down')
    expect(comparable(await db.schema())).toEqual(before)
    await options.afterDown?.(db)
    await db.run(last, 'up')
    expect(comparable(await db.schema())).toEqual(after)
  } finally {
    await db.close()
  }
}
