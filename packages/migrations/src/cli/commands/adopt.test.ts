/**
 * The `pull` and `squash` commands end to end through runCli: a project without a config adopts a database;
 * with a config, squash rewrites the folders and rollback past it exits 1 with the coded error.
 */
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { executeScript } from '../../pull/test-utils/round-trip.js'
import { buildPackages } from '../../test-utils/build-packages.js'
import { captureIo } from '../../test-utils/capture-io.js'
import { writeMigration } from '../../test-utils/migration-fixtures.js'
import { createTempProject, type TempProject } from '../../test-utils/temp-project.js'
import { runCli } from '../main.js'

let project: TempProject | undefined
afterEach(async () => {
  await project?.remove()
  project = undefined
})

describe('ash-sqlite pull', () => {
  test('adopts a database into a project without a config, and refuses a second pull into the same repo', async () => {
    project = await createTempProject()
    await executeScript(
      join(project.dir, 'app.db'),
      'CREATE TABLE users (id integer PRIMARY KEY, email text NOT NULL UNIQUE); CREATE VIRTUAL TABLE notes USING fts5(body);',
    )
    const io = captureIo()
    expect(await runCli(['pull', '--repo', 'main', '--url', 'file:app.db', '--cwd', project.dir], io)).toBe(0)
    expect(io.out()).toContain('created src/main-resources.ts')
    expect(io.out()).toContain('table notes is not pulled: it is a virtual table.')
    expect(io.out()).toMatch(
      /Pulled 1 table into repo main; baseline \d{14}_baseline; recorded as applied on file:app\.db\./,
    )
    expect(io.out()).toContain('Add the domain of src/main-resources.ts to ash-sqlite.config.ts')
    expect(await readFile(join(project.dir, 'src', 'main-resources.ts'), 'utf8')).toContain(
      'export const User = defineResource({',
    )
    const [baseline] = await readdir(join(project.dir, 'migrations', 'main'))
    expect(
      await readFile(join(project.dir, 'migrations', 'main', String(baseline), 'migration.sql'), 'utf8'),
    ).toContain('CREATE VIRTUAL TABLE notes USING fts5(body)')

    const again = captureIo()
    expect(
      await runCli(['pull', '--repo', 'main', '--url', 'file:app.db', '--json', '--cwd', project.dir], again),
    ).toBe(2)
    expect(JSON.parse(again.out()).error.code).toBe('pull_repo_not_empty')
  })
})

describe('ash-sqlite squash', () => {
  test('squashes through the CLI; rollback past the squash exits 1 with rollback_past_squash', async () => {
    await buildPackages(['resource'])
    project = await createTempProject({
      'ash-sqlite.config.ts': [
        "import { attr, defineDomain, defineRepo, defineResource } from '@ash-sqlite/resource'",
        "const main = defineRepo({ name: 'main', url: 'file:main.db' })",
        "const A = defineResource({ name: 'A', attributes: { id: attr.integerPrimaryKey() }, sqlite: { repo: main, table: 'a', migrate: false } })",
        "export default { domains: [defineDomain({ name: 'd', resources: [A] })] }",
      ].join('\n'),
    })
    const dir = join(project.dir, 'migrations', 'main')
    for (let index = 1; index <= 3; index++) {
      await writeMigration(dir, `2026010100000${index}_m${index}`, {
        up: [`CREATE TABLE t${index} (id integer PRIMARY KEY)`],
        down: [`DROP TABLE t${index}`],
      })
    }
    expect(await runCli(['migrate', '--cwd', project.dir], captureIo())).toBe(0)
    const io = captureIo()
    expect(await runCli(['squash', '--to', '20260101000002', '--cwd', project.dir], io)).toBe(0)
    expect(io.out()).toContain('main: 2 migrations squashed into 20260101000002_squashed.')
    expect((await readdir(dir)).sort()).toEqual(['20260101000002_squashed', '20260101000003_m3'])
    expect((await readdir(join(dir, '20260101000002_squashed', 'squashed'))).sort()).toEqual([
      '20260101000001_m1',
      '20260101000002_m2',
    ])
    expect(await runCli(['migrate', '--cwd', project.dir], captureIo())).toBe(0)
    expect(await runCli(['rollback', '--cwd', project.dir], captureIo())).toBe(0)
    const refused = captureIo()
    expect(await runCli(['rollback', '--json', '--cwd', project.dir], refused)).toBe(1)
    expect(refused.out()).toContain('rollback_past_squash')
  }, 120_000)
})
