/**
 * `pull` and `status --drift` on a 1000-table database, for the record (not a timed test): run with
 * ASH_SQLITE_SCALE=1. Prints the wall time of each step; asserts only what must hold at any size.
 */
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { drift } from '../drift/drift.js'
import { generate } from '../generator/generate.js'
import { createTempProject } from '../test-utils/temp-project.js'
import { pull } from './pull.js'
import { configWithModule, executeScript } from './test-utils/round-trip.js'

const TABLES = Number(process.env.ASH_SQLITE_SCALE_TABLES ?? 1000)

function schemaOf(count: number): string {
  const statements: string[] = []
  for (let index = 1; index <= count; index++) {
    const parent = index === 1 ? '' : `, parent_id integer REFERENCES t${index - 1}(id) ON DELETE CASCADE`
    statements.push(
      `CREATE TABLE t${index} (id integer PRIMARY KEY AUTOINCREMENT, name text NOT NULL, amount real DEFAULT 0, created_at text DEFAULT CURRENT_TIMESTAMP NOT NULL${parent});`,
      `CREATE INDEX t${index}_name_index ON t${index} (name);`,
    )
    if (index % 10 === 0)
      statements.push(
        `CREATE TRIGGER t${index}_touch AFTER UPDATE ON t${index} BEGIN UPDATE t${index} SET amount = amount + 1 WHERE id = NEW.id AND 0; END;`,
      )
    if (index % 50 === 0) statements.push(`CREATE VIEW v${index} AS SELECT id, name FROM t${index};`)
  }
  return statements.join('\n')
}

describe.skipIf(process.env.ASH_SQLITE_SCALE === undefined)(`adoption at ${TABLES} tables`, () => {
  test('pull, then status --drift', async () => {
    const project = await createTempProject()
    try {
      await executeScript(join(project.dir, 'big.db'), schemaOf(TABLES))
      const layout = {
        cwd: project.dir,
        migrationsDir: join(project.dir, 'migrations'),
        snapshotsDir: join(project.dir, 'resource_snapshots'),
      }
      let started = performance.now()
      const result = await pull(layout, { repo: 'main', url: 'file:big.db', out: 'src/resources.ts' })
      const pullMs = performance.now() - started
      expect(result.tables).toHaveLength(TABLES)
      const config = await configWithModule(project, result.module)
      started = performance.now()
      const checked = await drift(config)
      const driftMs = performance.now() - started
      expect(checked.drifted).toBe(false)
      started = performance.now()
      expect((await generate(config, { check: true })).changed).toBe(false)
      const checkMs = performance.now() - started
      console.log(
        `${TABLES} tables: pull ${Math.round(pullMs)} ms (${result.files.length} files), status --drift ${Math.round(driftMs)} ms, generate --check ${Math.round(checkMs)} ms`,
      )
    } finally {
      await project.remove()
    }
  }, 600_000)
})
