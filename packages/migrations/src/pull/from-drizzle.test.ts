/**
 * `pull --from-drizzle` on a drizzle-kit project made here with drizzle-kit's own CLI and applied with
 * drizzle-orm's own migrator: the baseline is recorded on the database that applied every drizzle-kit
 * migration, a database that applied only the first catches up on `migrate`, a fresh one is built from the
 * baseline, and all three end with the same schema; `generate` then writes nothing.
 */
import { execFile } from 'node:child_process'
import { cp, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { createClient } from '@libsql/client'
import { drizzle } from 'drizzle-orm/libsql'
import { migrate as drizzleMigrate } from 'drizzle-orm/libsql/migrator'
import { afterEach, describe, expect, test } from 'vitest'
import { generate } from '../generator/generate.js'
import { migrate } from '../migrator/migrate.js'
import { status } from '../migrator/status.js'
import { createTempProject, packageDir, type TempProject } from '../test-utils/temp-project.js'
import { pullFromDrizzle } from './from-drizzle.js'
import { configAt, configWithModule, masterOf, pragmasOf, rowsOf } from './test-utils/round-trip.js'

const run = promisify(execFile)
const drizzleKit = join(packageDir, 'node_modules', '.bin', 'drizzle-kit')

let project: TempProject | undefined
afterEach(async () => {
  await project?.remove()
  project = undefined
})

const SCHEMA_V1 = `import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'
export const users = sqliteTable('users', {
  id: integer().primaryKey({ autoIncrement: true }),
  email: text().notNull().unique(),
  fullName: text('full_name'),
})
export const posts = sqliteTable(
  'posts',
  {
    id: integer().primaryKey(),
    title: text().notNull(),
    authorId: integer('author_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [index('posts_author_idx').on(t.authorId)],
)
`
const SCHEMA_V2 = SCHEMA_V1.replace(
  "fullName: text('full_name'),",
  "fullName: text('full_name'),\n  bio: text().default('').notNull(),",
)

async function drizzleGenerate(dir: string, name: string): Promise<void> {
  await run(drizzleKit, ['generate', '--dialect=sqlite', '--schema=./schema.ts', '--out=./drizzle', `--name=${name}`], {
    cwd: dir,
  })
}

async function drizzleApply(path: string, folder: string): Promise<void> {
  const client = createClient({ url: `file:${path}` })
  try {
    await drizzleMigrate(drizzle({ client }), { migrationsFolder: folder })
  } finally {
    client.close()
  }
}

describe('pull --from-drizzle', () => {
  test('a drizzle-kit project: baseline recorded where every migration ran, catch-up elsewhere', async () => {
    project = await createTempProject({ 'schema.ts': SCHEMA_V1 })
    const dir = project.dir
    await drizzleGenerate(dir, 'init')
    // partial.db is migrated by drizzle-orm while the project has only its first migration.
    await cp(join(dir, 'drizzle'), join(dir, 'drizzle-v1'), { recursive: true })
    await drizzleApply(join(dir, 'partial.db'), join(dir, 'drizzle-v1'))
    await project.write({ 'schema.ts': SCHEMA_V2 })
    await new Promise((done) => setTimeout(done, 1100)) // drizzle-kit names folders by the second
    await drizzleGenerate(dir, 'bio')
    await drizzleApply(join(dir, 'app.db'), join(dir, 'drizzle'))
    await drizzleApply(join(dir, 'partial-too.db'), join(dir, 'drizzle-v1'))
    await rm(join(dir, 'drizzle-v1'), { recursive: true })
    const client = createClient({ url: `file:${join(dir, 'app.db')}` })
    await client.execute("INSERT INTO users (email) VALUES ('a@example.com')")
    client.close()

    const layout = { cwd: dir, migrationsDir: join(dir, 'migrations'), snapshotsDir: join(dir, 'resource_snapshots') }
    const result = await pullFromDrizzle(layout, {
      repo: 'main',
      schema: 'schema.ts',
      url: 'file:app.db',
      databases: [{ name: 'partial', url: 'file:partial.db' }],
      out: 'src/resources.ts',
    })
    expect(result.tables).toEqual(['posts', 'users'])
    expect(result.leftOut).toEqual([])
    expect(result.recordedOn).toEqual(['file:app.db'])
    expect(result.warnings.map((warning) => warning.message)).toEqual([
      expect.stringContaining('file:partial.db applied 1 of the 2 drizzle-kit migrations'),
    ])

    const config = await configWithModule(project, result.module)
    expect((await generate(config, { check: true })).changed).toBe(false)
    // app.db: nothing to do, the drizzle-kit rows are the baseline's, not "missing".
    const app = configAt(config, 'file:app.db')
    expect((await migrate(app)).databases[0]?.results).toEqual([])
    expect((await status(app)).databases[0]?.migrations.map((entry) => entry.state)).toEqual(['applied'])
    expect(await rowsOf(join(dir, 'app.db'), 'SELECT email, bio FROM users')).toEqual([
      { email: 'a@example.com', bio: '' },
    ])

    // partial.db catches up through the kept drizzle-kit migration; fresh.db runs the baseline.
    const expectedMaster = await masterOf(join(dir, 'app.db'))
    const expectedPragmas = await pragmasOf(join(dir, 'app.db'))
    for (const file of ['partial', 'partial-too', 'fresh']) {
      const config2 = configAt(config, `file:${file}.db`)
      const ran = await migrate(config2)
      expect(ran.ok, file).toBe(true)
      expect(await masterOf(join(dir, `${file}.db`)), file).toEqual(expectedMaster)
      expect(await pragmasOf(join(dir, `${file}.db`)), file).toEqual(expectedPragmas)
      expect(
        (await status(config2)).databases[0]?.migrations.map((entry) => entry.state),
        file,
      ).toEqual(['applied'])
    }
  }, 120_000)

  test('a schema module ahead of its migrations is refused, naming the fix', async () => {
    project = await createTempProject({ 'schema.ts': SCHEMA_V1 })
    await drizzleGenerate(project.dir, 'init')
    await project.write({ 'schema.ts': SCHEMA_V2 })
    const layout = {
      cwd: project.dir,
      migrationsDir: join(project.dir, 'migrations'),
      snapshotsDir: join(project.dir, 'resource_snapshots'),
    }
    await expect(pullFromDrizzle(layout, { repo: 'main', schema: 'schema.ts' })).rejects.toMatchObject({
      code: 'pull_drizzle_schema_ahead',
      message: expect.stringContaining('Run drizzle-kit generate'),
    })
  }, 60_000)
})
