import { access, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  buildConfig,
  createTempDir,
  singleRepoConfig,
  type TempDir,
  writeMigration,
} from '../test-utils/migration-fixtures.js'
import { withDb } from '../test-utils/sqlite-file.js'
import { migrate } from './migrate.js'
import { status } from './status.js'

let temp: TempDir
let repoDir: string
beforeEach(async () => {
  temp = await createTempDir()
  repoDir = join(temp.path, 'migrations', 'main')
  await writeMigration(repoDir, '20260101000000_a', { up: ['CREATE TABLE a (id integer);'] })
  await writeMigration(repoDir, '20260102000000_b', { up: ['CREATE TABLE b (id integer);'] })
})
afterEach(async () => {
  await temp.remove()
})

describe('status', () => {
  it('shows everything pending for a database that does not exist yet, without creating it', async () => {
    const result = await status(singleRepoConfig(temp.path))
    expect(result).toEqual({
      ok: true,
      conflicts: [],
      databases: [
        {
          repo: 'main',
          database: 'main',
          url: `file:${join(temp.path, 'main.db')}`,
          warnings: [],
          exists: false,
          migrations: [
            { name: '20260101000000_a', state: 'pending' },
            { name: '20260102000000_b', state: 'pending' },
          ],
        },
      ],
    })
    await expect(access(join(temp.path, 'main.db'))).rejects.toThrow()
  })

  it('gives applied migrations their applied_at time', async () => {
    await migrate(singleRepoConfig(temp.path), { step: 1 })
    const [database] = (await status(singleRepoConfig(temp.path))).databases
    expect(database?.migrations).toEqual([
      {
        name: '20260101000000_a',
        state: 'applied',
        appliedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      },
      { name: '20260102000000_b', state: 'pending' },
    ])
  })

  it("reports an unreadable database as that database's error and still reads the others", async () => {
    await writeFile(
      join(temp.path, 'broken.db'),
      'this is not an SQLite database, just text long enough to have a header',
    )
    await writeMigration(join(temp.path, 'migrations', 'other'), '20260101000000_x', { up: ['SELECT 1;'] })
    const config = buildConfig(temp.path, [
      { name: 'main', url: 'file:broken.db' },
      { name: 'other', url: 'file:other.db' },
    ])
    const result = await status(config)
    expect(result.ok).toBe(false)
    expect(
      result.databases.map((database) => [database.repo, database.error?.code, database.migrations.length]),
    ).toEqual([
      ['main', 'database_error', 0],
      ['other', undefined, 1],
    ])
    expect(result.databases[0]?.error?.message).toMatch(
      /^(Cannot open database file:broken\.db|Database main \(file:broken\.db\)): .*not a database/,
    )
  })

  it('warns about tracking rows without a name', async () => {
    await migrate(singleRepoConfig(temp.path))
    await withDb(join(temp.path, 'main.db'), async (db) => {
      await db.execute("INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('abc', 0)")
    })
    const [database] = (await status(singleRepoConfig(temp.path))).databases
    expect(database?.warnings).toEqual(['Tracking row id 3 of __drizzle_migrations has no name and is ignored.'])
    expect(database?.migrations.map((entry) => entry.state)).toEqual(['applied', 'applied'])
  })
})
