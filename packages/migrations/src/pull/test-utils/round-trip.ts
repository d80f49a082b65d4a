/**
 * The pull round trip used by the tests: a database built from DDL (plus rows), pulled into a temp project;
 * then the checks a user relies on, each against real SQLite files.
 */
import { execFile } from 'node:child_process'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { createClient } from '@libsql/client'
import type { AshSqliteConfig } from '../../config/define-config.js'
import { resolveConfig } from '../../config/resolve-config.js'
import type { ResolvedConfig } from '../../config/resolved-config.js'
import { generate } from '../../generator/generate.js'
import { type LiveSchema, readLiveSchema } from '../../introspect/live-schema.js'
import { migrate } from '../../migrator/index.js'
import { createTempProject, packageDir, type TempProject } from '../../test-utils/temp-project.js'

const run = promisify(execFile)

import { type PullResult, pull } from '../pull.js'

export interface RoundTrip {
  readonly project: TempProject
  readonly result: PullResult
  /** The config of the project with the pulled module's domain, databases at `url`. */
  readonly config: ResolvedConfig
  readonly originalPath: string
}

export async function executeScript(path: string, sql: string): Promise<void> {
  const client = createClient({ url: `file:${path}` })
  try {
    await client.executeMultiple(sql)
  } finally {
    client.close()
  }
}

export async function liveSchemaOf(path: string): Promise<LiveSchema> {
  const client = createClient({ url: `file:${path}` })
  try {
    return await readLiveSchema({
      query: async (sql, args = []) => (await client.execute({ sql, args: [...args] })).rows,
    })
  } finally {
    client.close()
  }
}

export async function rowsOf(path: string, sql: string): Promise<Record<string, unknown>[]> {
  const client = createClient({ url: `file:${path}` })
  try {
    return (await client.execute(sql)).rows.map((row) => ({ ...row }))
  } finally {
    client.close()
  }
}

/** sqlite_master as a comparable list (the tracking table left out). */
export async function masterOf(path: string): Promise<string[]> {
  const rows = await rowsOf(
    path,
    "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE '__drizzle%' ORDER BY type, name",
  )
  return rows.map((row) => `${row.type} ${row.name} ${row.tbl_name}: ${row.sql}`)
}

/** Per table: pragma table_xinfo, foreign_key_list and index_list rows, for an exact comparison. */
export async function pragmasOf(path: string): Promise<Record<string, unknown>> {
  const tables = await rowsOf(
    path,
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '__drizzle%' ORDER BY name",
  )
  const out: Record<string, unknown> = {}
  for (const { name } of tables) {
    const quoted = `'${String(name).replaceAll("'", "''")}'`
    out[String(name)] = {
      columns: await rowsOf(path, `SELECT * FROM pragma_table_xinfo(${quoted})`),
      foreignKeys: await rowsOf(path, `SELECT * FROM pragma_foreign_key_list(${quoted})`),
      indexes: await rowsOf(path, `SELECT * FROM pragma_index_list(${quoted}) ORDER BY name`),
    }
  }
  return out
}

/** Loads the written module through the test runner and finds its domain export. */
export async function configWithModule(
  project: TempProject,
  modulePath: string,
  extra: Partial<AshSqliteConfig> = {},
): Promise<ResolvedConfig> {
  const module = (await import(/* @vite-ignore */ `${modulePath}?t=${Date.now()}`)) as Record<string, unknown>
  const domain = Object.entries(module).find(([name]) => name.endsWith('Domain'))?.[1]
  if (domain === undefined) throw new Error(`no domain exported by ${modulePath}`)
  return resolveConfig({ domains: [domain as never], ...extra }, { cwd: project.dir })
}

/** Creates `original.db` from the DDL, pulls it, and loads the written module. */
export async function pullDatabase(ddl: string, options: { rows?: string } = {}): Promise<RoundTrip> {
  const project = await createTempProject()
  const originalPath = join(project.dir, 'original.db')
  await executeScript(originalPath, ddl)
  if (options.rows !== undefined) await executeScript(originalPath, options.rows)
  const layout = {
    cwd: project.dir,
    migrationsDir: join(project.dir, 'migrations'),
    snapshotsDir: join(project.dir, 'resource_snapshots'),
  }
  const result = await pull(layout, { repo: 'main', url: 'file:original.db', out: 'src/resources.ts' })
  const config = await configWithModule(project, result.module)
  return { project, result, config, originalPath }
}

/** A config whose repo points at another database file (same module, same migrations). */
export function configAt(config: ResolvedConfig, url: string): ResolvedConfig {
  return {
    ...config,
    repos: config.repos.map((repo) => ({ ...repo, repo: { ...repo.repo, url } as never })),
  }
}

/**
 * The module alone, generated from nothing into a scratch project and migrated into a scratch database
 * (after the tables pull left out, which only the baseline holds): what the resources describe.
 */
export async function databaseFromModule(trip: RoundTrip, path: string): Promise<void> {
  const scratch = await configWithModule(trip.project, trip.result.module, {
    migrationsDir: 'scratch/migrations',
    snapshotsDir: 'scratch/snapshots',
  })
  const leftOut = new Set(trip.result.leftOut)
  const original = await liveSchemaOf(trip.originalPath)
  const leftOutDdl = original.statements.filter(
    (statement) => leftOut.has(statement.table) && statement.type !== 'view' && statement.type !== 'trigger',
  )
  await executeScript(path, leftOutDdl.map((statement) => `${statement.sql};`).join('\n'))
  await generate(scratch, { name: 'scratch' })
  const run = await migrate(configAt(scratch, `file:${path}`))
  if (!run.ok) throw new Error(`migrating the scratch database failed: ${JSON.stringify(run.databases)}`)
}

/** Type-checks the written module as a user's project would compile it (strict). */
export async function typecheckModule(trip: RoundTrip): Promise<void> {
  await trip.project.write({
    'tsconfig.json': JSON.stringify({
      extends: '../../tsconfig.json',
      // Declarations off: whether a resource module emits portable .d.ts is the resource package's concern.
      compilerOptions: { noEmit: true, declaration: false, declarationMap: false, isolatedDeclarations: false },
      include: ['src'],
    }),
  })
  const tsc = createRequire(join(packageDir, 'package.json')).resolve('typescript/bin/tsc')
  await run(process.execPath, [tsc, '-p', join(trip.project.dir, 'tsconfig.json')], { cwd: trip.project.dir }).catch(
    (error: { stdout?: string }) => {
      throw new Error(`the pulled module does not compile:\n${error.stdout ?? ''}`)
    },
  )
}
