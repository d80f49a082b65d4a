/**
 * Migrating a fleet: a repo of 200 database files (DESIGN.md section 9: `defineRepo({ databases })`,
 * bounded concurrency) vs what a drizzle-orm user writes, a loop calling `migrate()` on each file in turn
 * (`children/drizzle-migrate-fleet.mjs`). Both apply the first `--fleet-migrations` migrations of the
 * migrate scenario's history to fresh files. Two variants, as in the migrate scenario:
 *   fleet migrate (CLI)  `ash-sqlite migrate` vs `node drizzle-migrate-fleet.mjs`, timed spawn to exit
 *   fleet migrate (API)  `migrate(config)` of @ash-sqlite/migrations with its default concurrency vs the
 *                        drizzle loop, each timed inside its process (`--report-time`), without Node's
 *                        start-up, imports and, for ash-sqlite, loading the config
 * Every database is checked after every run.
 */
import { join } from 'node:path'
import { ASH_MIGRATIONS_DIR, ASH_REPO, writeAshProject } from '../fixtures/ash-project.mjs'
import { writeMigrationHistory } from '../fixtures/migration-history.mjs'
import { compareSides } from '../lib/compare.mjs'
import { countAppliedMigrations } from '../lib/database.mjs'
import { runProcessOk } from '../lib/measure.mjs'
import { BENCH_DIR } from '../lib/packages.mjs'
import { freshDir, WORK_DIR } from '../lib/workdir.mjs'

const DRIZZLE_FLEET_SCRIPT = join(BENCH_DIR, 'children', 'drizzle-migrate-fleet.mjs')
const ASH_MIGRATE_API_SCRIPT = join(BENCH_DIR, 'children', 'ash-migrate-api.mjs')
const FLEET_DIR_ENV = 'ASH_BENCH_FLEET_DIR'
const FLEET_SIZE_ENV = 'ASH_BENCH_FLEET_SIZE'
/** From the migrator issue: a fleet in at most half the time of a sequential drizzle-orm loop. */
const FLEET_TARGET = 0.5

/** A fleet repo whose databases are `<dir>/db<i>.db`, the same files the drizzle loop migrates. */
const FLEET_REPO_SOURCE = `export const ${ASH_REPO} = defineRepo({
  name: '${ASH_REPO}',
  databases: () =>
    Array.from({ length: Number(process.env.${FLEET_SIZE_ENV}) }, (_, index) => ({
      name: \`db\${index}\`,
      url: \`file:\${process.env.${FLEET_DIR_ENV}}/db\${index}.db\`,
    })),
})`

async function checkFleet(label, directory, size, expected) {
  for (let index = 0; index < size; index++) {
    const applied = await countAppliedMigrations(join(directory, `db${index}.db`))
    if (applied !== expected) throw new Error(`${label}: db${index}.db has ${applied} of ${expected} migrations`)
  }
}

/** The `{"ms": ...}` a child printed last (children/*-api.mjs and --report-time). */
function reportedTime(label, stdout) {
  const line = stdout.trim().split('\n').at(-1) ?? ''
  try {
    const { ms } = JSON.parse(line)
    if (typeof ms === 'number') return ms
  } catch {}
  throw new Error(`${label} printed no timing (last line: ${line.slice(0, 200)})`)
}

export const fleetScenario = {
  id: 'fleet',
  title: 'migrating a fleet of database files: ash-sqlite migrate vs a loop of drizzle-orm migrate()',
  async run(ctx) {
    const rows = []
    for (const fleetSize of ctx.options.fleetSizes) rows.push(...(await runFleet(ctx, fleetSize)))
    return rows
  },
}

/** Fleets of one size: both variants. */
async function runFleet(ctx, fleetSize) {
  const { fleetMigrations } = ctx.options
  const root = await freshDir(join(WORK_DIR, `fleet-${fleetSize}`))
  const project = join(root, 'ash')
  const migrationsFolder = join(project, ASH_MIGRATIONS_DIR)
  const history = await writeMigrationHistory(migrationsFolder, fleetMigrations)
  await writeAshProject(project, history.finalSchema, { repoSource: FLEET_REPO_SOURCE })
  const fleets = { ours: join(root, 'ours'), theirs: join(root, 'theirs') }
  const { tools } = ctx

  const side = (key, label, spec, inProcess) => ({
    async run() {
      const env = { ...ctx.childEnv, ...spec.env, TMPDIR: await freshDir(join(root, 'tmp', key)) }
      await freshDir(fleets[key])
      const result = await runProcessOk(label, { ...spec, env })
      await checkFleet(label, fleets[key], fleetSize, fleetMigrations)
      return inProcess ? { ms: reportedTime(label, result.stdout), maxRssKb: null } : result
    },
  })
  const ourEnv = { [FLEET_DIR_ENV]: fleets.ours, [FLEET_SIZE_ENV]: String(fleetSize) }
  const drizzleArgs = [DRIZZLE_FLEET_SCRIPT, fleets.theirs, String(fleetSize), migrationsFolder]
  const variants = [
    {
      scenario: 'fleet migrate (CLI)',
      ours: { command: tools.node, args: [tools.ash.bin, 'migrate'], cwd: project, env: ourEnv },
      theirs: { command: tools.node, args: drizzleArgs, cwd: root },
      inProcess: false,
    },
    {
      scenario: 'fleet migrate (API, in-process)',
      ours: { command: tools.node, args: [ASH_MIGRATE_API_SCRIPT], cwd: project, env: ourEnv },
      theirs: { command: tools.node, args: [...drizzleArgs, '--report-time'], cwd: root },
      inProcess: true,
    },
  ]

  const rows = []
  for (const variant of variants) {
    ctx.log(`${variant.scenario}: ${fleetSize} databases, ${fleetMigrations} migrations each`)
    const comparison = await compareSides({
      label: variant.scenario,
      runs: ctx.options.runs,
      log: ctx.log,
      ours: tools.ash.available
        ? side('ours', `ash-sqlite ${variant.scenario}`, variant.ours, variant.inProcess)
        : null,
      theirs: side('theirs', `drizzle-orm migrate() loop, ${variant.scenario}`, variant.theirs, variant.inProcess),
    })
    rows.push({
      scenario: variant.scenario,
      size: fleetSize,
      sizeLabel: `${fleetSize} dbs × ${fleetMigrations} migrations`,
      unit: 'ms',
      ours: comparison.ours?.time ?? null,
      theirs: comparison.theirs?.time ?? null,
      target: FLEET_TARGET,
      errors: comparison.errors,
      note: 'ours: default concurrency (worker threads for files); theirs: sequential loop',
    })
  }
  return rows
}
