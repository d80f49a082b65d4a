/**
 * The pragma trap: drizzle-kit rebuilds a table SQLite cannot ALTER (create __new_t, copy, drop t, rename).
 * Dropping a parent table while foreign keys are on deletes every ON DELETE CASCADE child row, and the
 * `PRAGMA foreign_keys=OFF` drizzle-kit puts around the rebuild is ignored inside a transaction.
 */
import { join } from 'node:path'
import { createClient } from '@libsql/client'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTempDir, singleRepoConfig, type TempDir, writeMigration } from '../test-utils/migration-fixtures.js'
import { queryRows, scalar, withDb } from '../test-utils/sqlite-file.js'
import { migrate } from './migrate.js'
import { rollback } from './rollback.js'

const createFamily = {
  up: [
    'CREATE TABLE `parent` (`id` integer PRIMARY KEY, `name` text);',
    'CREATE TABLE `child` (`id` integer PRIMARY KEY, `parent_id` integer NOT NULL, CONSTRAINT `fk_child_parent_id_parent_id_fk` FOREIGN KEY (`parent_id`) REFERENCES `parent`(`id`) ON DELETE CASCADE);',
  ],
  down: ['DROP TABLE `child`;', 'DROP TABLE `parent`;'],
}

// What drizzle-kit generates for "name becomes NOT NULL with a default", and back.
const rebuildParent = (nameColumn: string, copiedName: string): string[] => [
  'PRAGMA foreign_keys=OFF;',
  `CREATE TABLE \`__new_parent\` (\`id\` integer PRIMARY KEY, ${nameColumn});`,
  `INSERT INTO \`__new_parent\`(\`id\`, \`name\`) SELECT \`id\`, ${copiedName} FROM \`parent\`;`,
  'DROP TABLE `parent`;',
  'ALTER TABLE `__new_parent` RENAME TO `parent`;',
  'PRAGMA foreign_keys=ON;',
]
const tightenName = {
  up: rebuildParent("`name` text DEFAULT 'x' NOT NULL", "coalesce(`name`, 'x')"),
  down: rebuildParent('`name` text', '`name`'),
}

let temp: TempDir
let dbPath: string
let repoDir: string
beforeEach(async () => {
  temp = await createTempDir()
  dbPath = join(temp.path, 'main.db')
  repoDir = join(temp.path, 'migrations', 'main')
  await writeMigration(repoDir, '20260101000000_family', createFamily)
})
afterEach(async () => {
  await temp.remove()
})

async function seedFamily(): Promise<void> {
  await withDb(dbPath, async (db) => {
    await db.execute("INSERT INTO parent VALUES (1, 'a'), (2, NULL)")
    await db.execute('INSERT INTO child VALUES (10, 1), (11, 1), (12, 2)')
  })
}

const parentSql = () => scalar(dbPath, "SELECT sql FROM sqlite_master WHERE name = 'parent'")
const children = () => queryRows(dbPath, 'SELECT id, parent_id FROM child ORDER BY id')
const allChildren = [
  { id: 10, parent_id: 1 },
  { id: 11, parent_id: 1 },
  { id: 12, parent_id: 2 },
]

describe('rebuilding a parent table whose children reference it with ON DELETE CASCADE', () => {
  it('loses the children when run naively in one transaction (the trap this guards against)', async () => {
    await migrate(singleRepoConfig(temp.path))
    await seedFamily()
    const client = createClient({ url: `file:${dbPath}` })
    try {
      const tx = await client.transaction('write')
      for (const statement of tightenName.up) await tx.execute(statement)
      await tx.commit()
    } finally {
      client.close()
    }
    expect(await children()).toEqual([])
  })

  it('keeps every child on migrate and on rollback', async () => {
    const config = singleRepoConfig(temp.path)
    await migrate(config)
    await seedFamily()
    await writeMigration(repoDir, '20260102000000_tighten_name', tightenName)

    const up = await migrate(config)
    expect(up.ok).toBe(true)
    expect(await parentSql()).toBe(
      'CREATE TABLE "parent" (`id` integer PRIMARY KEY, `name` text DEFAULT \'x\' NOT NULL)',
    )
    expect(await queryRows(dbPath, 'SELECT id, name FROM parent ORDER BY id')).toEqual([
      { id: 1, name: 'a' },
      { id: 2, name: 'x' },
    ])
    expect(await children()).toEqual(allChildren)

    const down = await rollback(config)
    expect(down.databases[0]?.results.map((entry) => `${entry.migrationName}:${entry.status}`)).toEqual([
      '20260102000000_tighten_name:success',
    ])
    expect(await parentSql()).toBe('CREATE TABLE "parent" (`id` integer PRIMARY KEY, `name` text)')
    expect(await children()).toEqual(allChildren)
    // The cascade itself still works afterwards: foreign keys are enforced again on new connections.
    await withDb(dbPath, async (db) => {
      await db.execute('DELETE FROM parent WHERE id = 1')
    })
    expect(await children()).toEqual([{ id: 12, parent_id: 2 }])
  })
})
