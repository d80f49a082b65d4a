/**
 * Squashing 30 of 35 migrations: a fresh database and databases that were at migration 10, 30 and 35 all
 * end with the schema (sqlite_master and pragmas) of a database migrated through the original 35, keep their
 * rows, record the squash, and show no drift; rollback past the squash is refused with a coded error.
 */
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { drift } from '../drift/drift.js'
import { migrate } from '../migrator/migrate.js'
import { rollback } from '../migrator/rollback.js'
import { status } from '../migrator/status.js'
import { executeScript, masterOf, pragmasOf, rowsOf } from '../pull/test-utils/round-trip.js'
import { buildConfig, createTempDir, type TempDir, writeMigration } from '../test-utils/migration-fixtures.js'
import { squash } from './squash.js'

let temp: TempDir
beforeEach(async () => {
  temp = await createTempDir()
})
afterEach(async () => {
  await temp.remove()
})

const name = (index: number) => `202601010000${String(index).padStart(2, '0')}_step${index}`

/** Migration i creates table t<i>; every third adds a column to an earlier table, every fifth an index, every seventh a trigger. */
async function writeMigrations(count: number): Promise<void> {
  const dir = join(temp.path, 'migrations', 'main')
  for (let index = 1; index <= count; index++) {
    const up = [
      `CREATE TABLE \`t${index}\` (\`id\` integer PRIMARY KEY, \`label\` text NOT NULL DEFAULT 'x', \`parent_id\` integer REFERENCES t${Math.max(1, index - 1)}(id) ON DELETE CASCADE)`,
    ]
    const down = [`DROP TABLE \`t${index}\``]
    if (index % 3 === 0) {
      up.push(`ALTER TABLE \`t${index - 2}\` ADD \`extra${index}\` integer DEFAULT ${index}`)
      down.unshift(`ALTER TABLE \`t${index - 2}\` DROP COLUMN \`extra${index}\``)
    }
    if (index % 5 === 0) {
      up.push(`CREATE INDEX \`t${index}_label_index\` ON \`t${index}\` (\`label\`) WHERE label <> 'x'`)
      down.unshift(`DROP INDEX \`t${index}_label_index\``)
    }
    if (index % 7 === 0) {
      up.push(
        `CREATE TRIGGER t${index}_touch AFTER INSERT ON t${index} BEGIN UPDATE t${index} SET label = upper(label) WHERE id = NEW.id; END`,
      )
      down.unshift(`DROP TRIGGER t${index}_touch`)
    }
    await writeMigration(dir, name(index), { up, down })
  }
}

const configFor = (file: string) => buildConfig(temp.path, [{ name: 'main', url: `file:${file}.db` }])
const path = (file: string) => join(temp.path, `${file}.db`)

describe('squash --to', () => {
  test('30 of 35 squashed: fresh, at 10, at 30 and at 35 all end right; rollback stops at the squash', async () => {
    await writeMigrations(35)
    expect((await migrate(configFor('reference'))).ok).toBe(true)
    expect((await migrate(configFor('at10'), { step: 10 })).ok).toBe(true)
    await executeScript(path('at10'), "INSERT INTO t10 (id, label) VALUES (1, 'kept'); INSERT INTO t9 (id) VALUES (7);")
    expect((await migrate(configFor('at30'), { to: name(30) })).ok).toBe(true)
    await executeScript(path('at30'), "INSERT INTO t30 (id, label) VALUES (1, 'kept');")
    expect((await migrate(configFor('at35'))).ok).toBe(true)

    const result = await squash(configFor('reference'), { to: name(30).slice(0, 14), name: 'first_thirty' })
    expect(result.folder).toBe('20260101000030_first_thirty')
    expect(result.replaces).toEqual(Array.from({ length: 30 }, (_, index) => name(index + 1)))
    const left = (await status(configFor('fresh'))).databases[0]?.migrations.map((entry) => entry.name)
    expect(left).toEqual(['20260101000030_first_thirty', ...[31, 32, 33, 34, 35].map(name)])

    const expectedMaster = await masterOf(path('reference'))
    const expectedPragmas = await pragmasOf(path('reference'))
    for (const file of ['fresh', 'at10', 'at30', 'at35']) {
      const run = await migrate(configFor(file))
      expect(run.ok, file).toBe(true)
      expect(await masterOf(path(file)), file).toEqual(expectedMaster)
      expect(await pragmasOf(path(file)), file).toEqual(expectedPragmas)
      const states = (await status(configFor(file))).databases[0]?.migrations.map((entry) => entry.state)
      expect(states, file).toEqual(Array(6).fill('applied'))
      const recorded = await rowsOf(path(file), 'SELECT name FROM __drizzle_migrations')
      expect(
        recorded.map((row) => row.name),
        file,
      ).toContain('20260101000030_first_thirty')
      expect((await drift(configFor(file))).drifted, file).toBe(false)
      // Nothing left to do on a second run.
      expect((await migrate(configFor(file))).databases[0]?.results, file).toEqual([])
    }
    // Databases that caught up ran only what they lacked, and kept their rows.
    expect(await rowsOf(path('at10'), 'SELECT id, label FROM t10')).toEqual([{ id: 1, label: 'kept' }])
    expect(await rowsOf(path('at30'), 'SELECT id, label FROM t30')).toEqual([{ id: 1, label: 'kept' }])

    // Rolling back the migrations after the squash works; rolling back the squash itself is refused.
    expect((await rollback(configFor('at35'), { step: 5 })).ok).toBe(true)
    const refused = await rollback(configFor('at35'))
    expect(refused.ok).toBe(false)
    expect(refused.databases[0]?.error?.code).toBe('rollback_past_squash')
    expect(refused.databases[0]?.error?.message).toContain('Refusing to roll back 20260101000030_first_thirty')
    const all = await rollback(configFor('fresh'), { all: true })
    expect(all.databases[0]?.error?.code).toBe('rollback_past_squash')
    expect(await masterOf(path('fresh'))).toEqual(expectedMaster)
  }, 120_000)
})
