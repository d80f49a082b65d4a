/**
 * A table rebuild on a big database: a parent of `--rebuild-rows` rows (default 1,000,000) with as many
 * ON DELETE CASCADE children, and one migration that rebuilds the parent the way drizzle-kit writes it
 * (`__new_parent`, copy, DROP, RENAME). Both tools start from a copy of the same seeded file, where the
 * first migration is already recorded, and apply the rebuild:
 *   rebuild (API process)  `migrate(config)` of @ash-sqlite/migrations (children/ash-migrate-api.mjs) vs
 *                          drizzle-orm's `migrate()` (children/drizzle-migrate.mjs), each timed spawn to
 *                          exit with its peak RSS: the copy of a million rows dominates both.
 * After every run the children must all still be there (the pragma trap would cascade them away).
 * Not run by default (seeding takes a while): `node bench/run.mjs --only rebuild`.
 */

import { createHash } from 'node:crypto'
import { copyFile, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createClient } from '@libsql/client'
import { ASH_DB_URL_ENV } from '../fixtures/ash-project.mjs'
import { compareSides } from '../lib/compare.mjs'
import { runProcessOk } from '../lib/measure.mjs'
import { BENCH_DIR } from '../lib/packages.mjs'
import { freshDir, removeDatabase, WORK_DIR } from '../lib/workdir.mjs'

const DRIZZLE_MIGRATE_SCRIPT = join(BENCH_DIR, 'children', 'drizzle-migrate.mjs')
const ASH_MIGRATE_API_SCRIPT = join(BENCH_DIR, 'children', 'ash-migrate-api.mjs')

const INIT = '20260101000000_init'
const REBUILD = '20260102000000_rebuild_parent'
const breakpoint = '\n--> statement-breakpoint\n'
const initSql = [
  'CREATE TABLE `parent` (`id` integer PRIMARY KEY, `name` text, `score` integer);',
  'CREATE TABLE `child` (`id` integer PRIMARY KEY, `parent_id` integer NOT NULL REFERENCES `parent`(`id`) ON DELETE CASCADE, `note` text);',
  'CREATE INDEX `child_parent_id` ON `child` (`parent_id`);',
].join(breakpoint)
const rebuildSql = [
  'PRAGMA foreign_keys=OFF;',
  'CREATE TABLE `__new_parent` (`id` integer PRIMARY KEY, `name` text, `score` integer DEFAULT 0 NOT NULL);',
  'INSERT INTO `__new_parent`(`id`, `name`, `score`) SELECT `id`, `name`, COALESCE(`score`, 0) FROM `parent`;',
  'DROP TABLE `parent`;',
  'ALTER TABLE `__new_parent` RENAME TO `parent`;',
  'PRAGMA foreign_keys=ON;',
].join(breakpoint)

function kbToMb(summary) {
  if (!summary) return null
  const mb = (kb) => kb / 1024
  return { median: mb(summary.median), min: mb(summary.min), max: mb(summary.max), samples: summary.samples.map(mb) }
}

async function query(file, sql) {
  const client = createClient({ url: `file:${file}` })
  try {
    return (await client.execute(sql)).rows
  } finally {
    client.close()
  }
}

export const rebuildScenario = {
  id: 'rebuild',
  title: 'a parent-table rebuild under a million cascade children: ash-sqlite migrate vs drizzle-orm migrate()',
  byDefault: false,
  async run(ctx) {
    const rows = ctx.options.rebuildRows
    const root = await freshDir(join(WORK_DIR, `rebuild-${rows}`))
    const project = join(root, 'ash')
    const migrationsFolder = join(project, 'migrations', 'main')
    for (const [name, sql] of [
      [INIT, initSql],
      [REBUILD, rebuildSql],
    ]) {
      await mkdir(join(migrationsFolder, name), { recursive: true })
      await writeFile(join(migrationsFolder, name, 'migration.sql'), sql)
    }
    // Repos are found through resources: one resource on repo main, whose URL each run sets.
    await writeFile(
      join(project, 'ash-sqlite.config.ts'),
      [
        "import { defineConfig } from '@ash-sqlite/migrations'",
        "import { attr, defineDomain, defineRepo, defineResource } from '@ash-sqlite/resource'",
        `const main = defineRepo({ name: 'main', url: process.env.${ASH_DB_URL_ENV} ?? 'file:./main.db' })`,
        "const Parent = defineResource({ name: 'Parent', attributes: { id: attr.integerPrimaryKey() }, sqlite: { repo: main, table: 'parent' } })",
        "export default defineConfig({ domains: [defineDomain({ name: 'rebuild', resources: [Parent] })] })",
        '',
      ].join('\n'),
    )

    // The seeded starting point: the first migration applied by drizzle-orm, then the rows.
    ctx.log(`rebuild: seeding ${rows} parents and ${rows} children`)
    const template = join(root, 'template.db')
    await removeDatabase(template)
    const client = createClient({ url: `file:${template}` })
    try {
      await client.executeMultiple(
        [
          initSql.replaceAll(breakpoint, '\n'),
          'CREATE TABLE "__drizzle_migrations" (id INTEGER PRIMARY KEY, hash text NOT NULL, created_at numeric, name text, applied_at TEXT);',
          `INSERT INTO "__drizzle_migrations" (hash, created_at, name, applied_at) VALUES ('${createHash('sha256').update(initSql).digest('hex')}', 1767225600000, '${INIT}', '2026-01-01T00:00:00.000Z');`,
          `INSERT INTO parent WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < ${rows}) SELECT x, 'parent ' || x, CASE WHEN x % 10 = 0 THEN NULL ELSE x END FROM n;`,
          `INSERT INTO child WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < ${rows}) SELECT x, x, 'child ' || x FROM n;`,
        ].join('\n'),
      )
    } finally {
      client.close()
    }

    const side = (key, label, spec) => {
      const file = join(root, `${key}.db`)
      return {
        async run() {
          await removeDatabase(file)
          await copyFile(template, file)
          const command = spec(file)
          const env = { ...ctx.childEnv, ...command.env }
          const result = await runProcessOk(label, { ...command, env, memory: true })
          const [children] = await query(file, 'SELECT count(*) AS n FROM child')
          if (Number(children.n) !== rows) throw new Error(`${label}: ${children.n} of ${rows} children left`)
          const [applied] = await query(file, 'SELECT count(*) AS n FROM __drizzle_migrations')
          if (Number(applied.n) !== 2) throw new Error(`${label}: ${applied.n} of 2 migrations recorded`)
          return result
        },
      }
    }
    ctx.log(`rebuild (API process): ${rows} rows`)
    const comparison = await compareSides({
      label: 'rebuild',
      runs: Math.min(ctx.options.runs, 3),
      log: ctx.log,
      ours: ctx.tools.ash.available
        ? side('ours', 'ash-sqlite rebuild', (file) => ({
            command: ctx.tools.node,
            args: [ASH_MIGRATE_API_SCRIPT],
            cwd: project,
            env: { [ASH_DB_URL_ENV]: `file:${file}` },
          }))
        : null,
      theirs: side('theirs', 'drizzle-orm rebuild', (file) => ({
        command: ctx.tools.node,
        args: [DRIZZLE_MIGRATE_SCRIPT, file, migrationsFolder],
        cwd: root,
      })),
    })
    const row = (scenario, unit, pick) => ({
      scenario,
      size: rows,
      sizeLabel: `${rows.toLocaleString('en')} rows + cascade children`,
      unit,
      ours: comparison.ours ? pick(comparison.ours) : null,
      theirs: comparison.theirs ? pick(comparison.theirs) : null,
      target: null,
      errors: comparison.errors,
      note: 'every child row kept by both',
    })
    return [
      row('rebuild (API process)', 'ms', (side) => side.time),
      ...(comparison.ours?.memory || comparison.theirs?.memory
        ? [row('rebuild peak RSS', 'MB', (side) => kbToMb(side.memory))]
        : []),
    ]
  },
}
