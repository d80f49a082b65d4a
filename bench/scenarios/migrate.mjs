/**
 * Applying the same N migrations (one folder, drizzle-kit 1.0 layout) to a fresh SQLite file:
 *   migrate (CLI)  `ash-sqlite migrate` vs a Node script calling drizzle-orm's `migrate()`, both timed
 *                  from spawn to exit (what a deploy step costs)
 *   migrate (API)  `migrate(config)` of @ash-sqlite/migrations vs drizzle-orm's `migrate()`, timed
 *                  inside the process (what the migration work itself costs)
 * After every run the database is checked: every migration recorded in `__drizzle_migrations`, and both
 * tools leave the same schema behind.
 */
import { join } from 'node:path'
import { ASH_DB_URL_ENV, ASH_MIGRATIONS_DIR, writeAshProject } from '../fixtures/ash-project.mjs'
import { writeMigrationHistory } from '../fixtures/migration-history.mjs'
import { compareSides } from '../lib/compare.mjs'
import { readMigratedSchema } from '../lib/database.mjs'
import { runProcessOk } from '../lib/measure.mjs'
import { BENCH_DIR } from '../lib/packages.mjs'
import { freshDir, removeDatabase, WORK_DIR } from '../lib/workdir.mjs'

const MIGRATE_TARGET = 1.0
const DRIZZLE_MIGRATE_SCRIPT = join(BENCH_DIR, 'children', 'drizzle-migrate.mjs')
const ASH_MIGRATE_API_SCRIPT = join(BENCH_DIR, 'children', 'ash-migrate-api.mjs')

function parseReportedTime(label, stdout) {
  const line = stdout.trim().split('\n').at(-1) ?? ''
  try {
    const { ms } = JSON.parse(line)
    if (typeof ms === 'number') return ms
  } catch {}
  throw new Error(`${label} printed no timing (last line: ${line.slice(0, 200)})`)
}

/**
 * A side: run `command()` against a fresh database, check it applied `expected` migrations, remember
 * the resulting schema. `inProcess` takes the time the child reports instead of the wall time.
 * Each run also gets an empty TMPDIR, so jiti (which loads ash-sqlite's TypeScript config) starts with
 * an empty transpile cache, as on a fresh deploy.
 */
function migrateSide(ctx, { label, databaseFile, tmpdir, command, expected, inProcess, schemas, key }) {
  return {
    async run() {
      await removeDatabase(databaseFile)
      const spec = command()
      const env = { ...ctx.childEnv, ...spec.env, TMPDIR: await freshDir(tmpdir) }
      const result = await runProcessOk(label, { ...spec, env })
      const schema = await readMigratedSchema(databaseFile)
      if (schema.applied !== expected) {
        throw new Error(`${label} recorded ${schema.applied} of ${expected} migrations in __drizzle_migrations`)
      }
      schemas[key] = schema.objects
      return inProcess ? { ms: parseReportedTime(label, result.stdout), maxRssKb: null } : result
    },
  }
}

function sameSchema(schemas) {
  if (!schemas.ours || !schemas.theirs) return ''
  const same = schemas.ours.length === schemas.theirs.length && schemas.ours.every((o, i) => o === schemas.theirs[i])
  return same
    ? `same resulting schema (${schemas.theirs.length} objects)`
    : 'resulting schemas DIFFER (see results.json)'
}

export const migrateScenario = {
  id: 'migrate',
  title: 'ash-sqlite migrate vs drizzle-orm migrate(), same migrations folder, fresh database',
  async run(ctx) {
    const count = ctx.options.migrations
    const root = await freshDir(join(WORK_DIR, `migrate-${count}`))
    const project = join(root, 'ash')
    const migrationsFolder = join(project, ASH_MIGRATIONS_DIR)
    ctx.log(`migrate: writing ${count} migrations`)
    const history = await writeMigrationHistory(migrationsFolder, count)
    await writeAshProject(project, history.finalSchema)
    const databases = { ours: join(root, 'ours.db'), theirs: join(root, 'theirs.db') }
    const { tools } = ctx
    const useOurs = tools.ash.available

    const variants = [
      {
        scenario: 'migrate (CLI)',
        ours: () => ({
          command: tools.node,
          args: [tools.ash.bin, 'migrate'],
          cwd: project,
          env: { [ASH_DB_URL_ENV]: `file:${databases.ours}` },
        }),
        theirs: () => ({
          command: tools.node,
          args: [DRIZZLE_MIGRATE_SCRIPT, databases.theirs, migrationsFolder],
          cwd: root,
        }),
        inProcess: false,
      },
      {
        scenario: 'migrate (API, in-process)',
        ours: () => ({
          command: tools.node,
          args: [ASH_MIGRATE_API_SCRIPT],
          cwd: project,
          env: { [ASH_DB_URL_ENV]: `file:${databases.ours}` },
        }),
        theirs: () => ({
          command: tools.node,
          args: [DRIZZLE_MIGRATE_SCRIPT, databases.theirs, migrationsFolder, '--report-time'],
          cwd: root,
        }),
        inProcess: true,
      },
    ]

    const rows = []
    for (const variant of variants) {
      ctx.log(`${variant.scenario}: ${count} migrations`)
      const schemas = {}
      const side = (key, tool) =>
        migrateSide(ctx, {
          label: `${tool} ${variant.scenario}`,
          databaseFile: databases[key],
          tmpdir: join(root, 'tmp', key),
          command: variant[key],
          expected: count,
          inProcess: variant.inProcess,
          schemas,
          key,
        })
      const comparison = await compareSides({
        label: variant.scenario,
        runs: ctx.options.runs,
        log: ctx.log,
        ours: useOurs ? side('ours', 'ash-sqlite') : null,
        theirs: side('theirs', 'drizzle-orm'),
      })
      const note = sameSchema(schemas)
      if (note.includes('DIFFER')) ctx.log(`  warning: ${note}`)
      rows.push({
        scenario: variant.scenario,
        size: count,
        sizeLabel: `${count} migrations`,
        unit: 'ms',
        ours: comparison.ours?.time ?? null,
        theirs: comparison.theirs?.time ?? null,
        target: MIGRATE_TARGET,
        errors: comparison.errors,
        note,
        details: note.includes('DIFFER') ? { schemas } : undefined,
      })
    }
    return rows
  },
}
