/**
 * The example app's whole pipeline, as `pnpm example` runs it, against temporary databases: create, migrate
 * (twice: the second is a no-op), the typed Drizzle query script (twice: it must tolerate its own rows),
 * status, rollback of everything through the committed down.sql files, migrate again, drop. It runs the
 * built `ash-sqlite` bin and jiti's CLI as child processes, exactly as the package scripts do.
 */
import { execFile } from 'node:child_process'
import { access, mkdtemp, readdir, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { createClient } from '@libsql/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const appDir = fileURLToPath(new URL('..', import.meta.url))
const require = createRequire(import.meta.url)
const cliBin = join(dirname(require.resolve('@ash-sqlite/migrations/package.json')), 'bin', 'ash-sqlite.js')
const jitiCli = join(dirname(require.resolve('jiti/package.json')), 'lib', 'jiti-cli.mjs')

interface Run {
  code: number
  stdout: string
  stderr: string
}

let tempDir: string
let env: NodeJS.ProcessEnv
let databaseFiles: Record<'main' | 'analytics', string>

beforeAll(async () => {
  tempDir = await mkdtemp(join(tmpdir(), 'ash-sqlite-example-'))
  // A folder that does not exist yet: `create` must make it, as it makes data/ on a fresh clone.
  databaseFiles = { main: join(tempDir, 'data', 'main.db'), analytics: join(tempDir, 'data', 'analytics.db') }
  env = {
    ...process.env,
    MAIN_DB_URL: `file:${databaseFiles.main}`,
    ANALYTICS_DB_URL: `file:${databaseFiles.analytics}`,
    NO_COLOR: '1',
    CI: 'true',
  }
})

afterAll(async () => {
  await rm(tempDir, { recursive: true, force: true })
})

function run(file: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [file, ...args], { cwd: appDir, env }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1
      resolve({ code, stdout, stderr })
    })
  })
}

async function cliJson<T>(...args: string[]): Promise<T> {
  const result = await run(cliBin, [...args, '--json'])
  expect(result.stderr).toBe('')
  expect(result.code).toBe(0)
  return JSON.parse(result.stdout) as T
}

async function committedMigrations(repo: string): Promise<string[]> {
  return (await readdir(join(appDir, 'migrations', repo))).sort()
}

/** Every schema object but the tracking table, as SQLite stores its definition. */
async function schemaOf(file: string): Promise<string[]> {
  const client = createClient({ url: pathToFileURL(file).href })
  try {
    const rows = await client.execute(
      "SELECT type, name, sql FROM sqlite_schema WHERE name NOT IN ('__drizzle_migrations', 'sqlite_sequence') ORDER BY type, name",
    )
    return rows.rows.map((row) => `${row.type} ${row.name}: ${row.sql ?? ''}`)
  } finally {
    client.close()
  }
}

interface DatabaseReport {
  repo: string
  status?: string
  results?: { migrationName: string; status: string }[]
  migrations?: { name: string; state: string }[]
}

function byRepo<T>(databases: DatabaseReport[], pick: (database: DatabaseReport) => T): Record<string, T> {
  return Object.fromEntries(databases.map((database) => [database.repo, pick(database)]))
}

describe('the example app pipeline', () => {
  let schemaAfterMigrate: Record<'main' | 'analytics', string[]>

  it('creates both databases', async () => {
    const created = await cliJson<{ databases: DatabaseReport[] }>('create')
    expect(byRepo(created.databases, (database) => database.status)).toEqual({ analytics: 'created', main: 'created' })
    await access(databaseFiles.main)
    await access(databaseFiles.analytics)
  })

  it('applies every committed migration, and nothing on a second run', async () => {
    const first = await cliJson<{ ok: boolean; databases: DatabaseReport[] }>('migrate')
    expect(first.ok).toBe(true)
    expect(byRepo(first.databases, (database) => database.results?.map((result) => result.migrationName))).toEqual({
      analytics: await committedMigrations('analytics'),
      main: await committedMigrations('main'),
    })
    expect(first.databases.flatMap((database) => database.results?.map((result) => result.status))).not.toContain(
      'error',
    )

    const second = await cliJson<{ databases: DatabaseReport[] }>('migrate')
    expect(byRepo(second.databases, (database) => database.results)).toEqual({ analytics: [], main: [] })
  })

  it('builds the schema the resources describe: STRICT events, custom indexes, the comment-count triggers', async () => {
    schemaAfterMigrate = {
      main: await schemaOf(databaseFiles.main),
      analytics: await schemaOf(databaseFiles.analytics),
    }
    expect(schemaAfterMigrate.analytics.find((entry) => entry.startsWith('table events:'))).toMatch(/\) STRICT$/)
    expect(schemaAfterMigrate.analytics).toContain(
      'index events_name_occurred_at_index: CREATE INDEX `events_name_occurred_at_index` ON `events` (`name`,`occurred_at`)',
    )
    expect(schemaAfterMigrate.main).toContain(
      'index posts_author_id_published_at_index: CREATE INDEX `posts_author_id_published_at_index` ON `posts` (`author_id`,`published_at`) WHERE published_at IS NOT NULL',
    )
    expect(
      schemaAfterMigrate.main.filter((entry) => entry.startsWith('trigger ')).map((entry) => entry.split(':')[0]),
    ).toEqual(['trigger comments_count_on_delete', 'trigger comments_count_on_insert'])
    // The CHECK constraints of Post (sqlite.checkConstraints) and of User's role (attr.enum with check: true).
    expect(schemaAfterMigrate.main.find((entry) => entry.startsWith('table posts:'))).toContain(
      `CONSTRAINT "posts_published_have_a_date" CHECK(status <> 'published' OR published_at IS NOT NULL)`,
    )
    expect(schemaAfterMigrate.main.find((entry) => entry.startsWith('table users:'))).toContain(
      `CONSTRAINT "users_role_enum" CHECK("role" IN ('admin', 'author', 'reader'))`,
    )
  })

  it('runs the typed query script twice: upserts its rows and adds one comment and three events per run', async () => {
    const first = await run(jitiCli, ['src/query.ts'])
    expect(first.stderr).toBe('')
    expect(first.code).toBe(0)
    expect(first.stdout).toBe(
      [
        'main: published posts',
        '  2024-04-15  A bug in the relay by Grace Hopper [computing, debugging] 1 comment(s)',
        '  2024-03-01  Notes on the Analytical Engine by Ada Lovelace [computing, history] 0 comment(s)',
        'main: 1 draft(s)',
        'analytics: events',
        '  comment_posted  1',
        '  page_view       1',
        '  sign_in         1',
        '',
      ].join('\n'),
    )

    const second = await run(jitiCli, ['src/query.ts'])
    expect(second.code).toBe(0)
    expect(second.stdout).toContain('A bug in the relay by Grace Hopper [computing, debugging] 2 comment(s)')
    expect(second.stdout).toContain('main: 1 draft(s)')
    expect(second.stdout).toContain('  sign_in         2\n')
  })

  it('reports every migration as applied', async () => {
    const report = await cliJson<{ databases: DatabaseReport[] }>('status')
    expect(byRepo(report.databases, (database) => database.migrations?.map((migration) => migration.state))).toEqual({
      analytics: (await committedMigrations('analytics')).map(() => 'applied'),
      main: (await committedMigrations('main')).map(() => 'applied'),
    })
  })

  it('rolls everything back through the committed down.sql files, then migrates to the same schema again', async () => {
    const rolledBack = await cliJson<{ ok: boolean; databases: DatabaseReport[] }>('rollback', '--all')
    expect(rolledBack.ok).toBe(true)
    expect(await schemaOf(databaseFiles.main)).toEqual([])
    expect(await schemaOf(databaseFiles.analytics)).toEqual([])
    const pending = await cliJson<{ databases: DatabaseReport[] }>('status')
    expect(pending.databases.flatMap((database) => database.migrations?.map((migration) => migration.state))).toEqual(
      [...(await committedMigrations('analytics')), ...(await committedMigrations('main'))].map(() => 'pending'),
    )

    const migrated = await cliJson<{ ok: boolean }>('migrate')
    expect(migrated.ok).toBe(true)
    expect({
      main: await schemaOf(databaseFiles.main),
      analytics: await schemaOf(databaseFiles.analytics),
    }).toEqual(schemaAfterMigrate)
  })

  it('drops both databases', async () => {
    const dropped = await cliJson<{ databases: DatabaseReport[] }>('drop', '--force')
    expect(byRepo(dropped.databases, (database) => database.status)).toEqual({ analytics: 'dropped', main: 'dropped' })
    await expect(access(databaseFiles.main)).rejects.toThrow()
    await expect(access(databaseFiles.analytics)).rejects.toThrow()
  })
})
