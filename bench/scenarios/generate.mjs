/**
 * `ash-sqlite generate` vs `drizzle-kit generate` (the rc CLI, as a user runs it) on equivalent schemas
 * of N tables, in three cases:
 *   initial     empty migrations folder -> one migration creating every table
 *   no-op       nothing changed since the last generate -> nothing written
 *   one change  one table gets a new column and a NOT NULL column (a rebuild) -> one migration
 * Every run is a fresh process in a freshly copied project, timed from spawn to exit, under the
 * peak-memory probe (the memory scenario reports those numbers).
 *
 * Both CLIs load TypeScript through jiti, which caches transpiled files in `os.tmpdir()/jiti`, keyed by
 * path and checked against the content. Left alone, that cache would make every run after the first skip
 * the transpile, which no user sees after editing a schema. So each case sets TMPDIR to a cache in the
 * state a user would have:
 *   initial     empty cache (first generate of a schema just written)
 *   no-op       warm cache (the files have not changed since the last generate), started from the
 *               temp folder of the last initial run, as a user has it after a first generate
 *   one change  warm cache from the no-op runs, which misses for the edited file only
 */
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { ASH_MIGRATIONS_DIR, writeAshProject, writeAshResources } from '../fixtures/ash-project.mjs'
import {
  DRIZZLE_CONFIG_FILE,
  DRIZZLE_OUT_DIR,
  writeDrizzleProject,
  writeDrizzleSchema,
} from '../fixtures/drizzle-project.mjs'
import { schemaForLayout, TABLES_PER_FILE, withOneChange } from '../fixtures/schema-model.mjs'
import { compareSides } from '../lib/compare.mjs'
import { runProcessOk } from '../lib/measure.mjs'
import { compareNewestMigrations, describeSqlComparison } from '../lib/migration-sql.mjs'
import { copyDir, freshDir, subdirectories, WORK_DIR } from '../lib/workdir.mjs'

export const GENERATE_CASES = ['initial', 'no-op', 'one change']

/** How rows name a layout; the default one (everything in one file) is not mentioned. */
export function layoutSuffix(layout) {
  return layout === 'single' ? '' : ` (${TABLES_PER_FILE} tables per file)`
}

/**
 * Goals from the issues: at 1000 tables, no-op and one change within a quarter of drizzle-kit's time and
 * initial no slower than it; at 100 tables, one change within half of it.
 */
function generateTarget(generateCase, size) {
  if (size === 1000) return generateCase === 'initial' ? 1 : 0.25
  if (size === 100 && generateCase === 'one change') return 0.5
  return null
}

function sideSetup(ctx, layout) {
  const { tools } = ctx
  return {
    ours: {
      tool: 'ash-sqlite',
      command: (cwd) => ({ command: tools.node, args: [tools.ash.bin, 'generate'], cwd }),
      migrationsDir: (project) => join(project, ASH_MIGRATIONS_DIR),
      writeProject: (dir, schema) => writeAshProject(dir, schema, { layout }),
      writeSchema: (dir, schema) => writeAshResources(dir, schema, { layout }),
    },
    theirs: {
      tool: 'drizzle-kit',
      command: (cwd) => ({
        command: tools.node,
        args: [tools.drizzleKitBin, 'generate', '--config', DRIZZLE_CONFIG_FILE],
        cwd,
      }),
      migrationsDir: (project) => join(project, DRIZZLE_OUT_DIR),
      writeProject: (dir, schema) => writeDrizzleProject(dir, schema, { layout }),
      writeSchema: (dir, schema) => writeDrizzleSchema(dir, schema, { layout }),
    },
  }
}

/**
 * A side of one case: before each run, `prepare(project)` resets the project and returns the TMPDIR the
 * run uses (see the jiti cache note above); after it, the migrations folder must hold exactly
 * `expectedFolders` migrations, or the run is an error (a benchmark of a tool that silently did nothing
 * would be worthless).
 */
function generateSide(ctx, side, { label, project, prepare, expectedFolders }) {
  return {
    async run() {
      const tmpdir = await prepare(project)
      const result = await runProcessOk(`${side.tool} generate (${label})`, {
        ...side.command(project),
        env: { ...ctx.childEnv, TMPDIR: tmpdir },
        memory: true,
      })
      const folders = await subdirectories(side.migrationsDir(project))
      if (folders.length !== expectedFolders) {
        throw new Error(
          `${side.tool} generate (${label}) left ${folders.length} migration folder(s), expected ${expectedFolders}`,
        )
      }
      return result
    },
  }
}

/** `enabled` says which sides to run: a side whose initial generate failed has nothing to regenerate. */
async function runCase(ctx, sides, { label, runs, caseSetup, enabled }) {
  return compareSides({
    label,
    runs,
    log: ctx.log,
    ours: enabled.ours ? generateSide(ctx, sides.ours, caseSetup('ours')) : null,
    theirs: enabled.theirs ? generateSide(ctx, sides.theirs, caseSetup('theirs')) : null,
  })
}

/**
 * Measures the three cases at `size` tables, written in `layout`, with `runs` runs each and returns
 * `{ size, layout, runs, cases: { initial, 'no-op', 'one change' }, sql: { initial, 'one change' } }`,
 * each case being `compareSides`' result. Cached on the context, so the memory scenario reuses it.
 */
export async function measureGenerate(ctx, size, runs, layout) {
  const cacheKey = `generate:${layout}:${size}`
  const cached = ctx.cache.get(cacheKey)
  if (cached && cached.runs >= runs) return cached

  const sides = sideSetup(ctx, layout)
  const root = await freshDir(join(WORK_DIR, layout === 'single' ? `generate-${size}` : `generate-${size}-${layout}`))
  const dirs = (stage, name) => join(root, stage, name === 'ours' ? 'ash' : 'drizzle')
  const caches = (stage, name) => join(root, 'tmp', stage, name === 'ours' ? 'ash' : 'drizzle')
  const schema = schemaForLayout(size, layout)
  const changed = withOneChange(schema)
  for (const name of ['ours', 'theirs']) await sides[name].writeProject(dirs('base', name), schema)

  const named = `${size} tables${layoutSuffix(layout)}`
  ctx.log(`generate, ${named}: initial`)
  const initial = await runCase(ctx, sides, {
    label: `generate ${named} initial`,
    runs,
    enabled: { ours: ctx.tools.ash.available, theirs: true },
    caseSetup: (name) => ({
      label: `${named}, initial`,
      project: dirs('initial', name),
      prepare: async (project) => {
        await copyDir(dirs('base', name), project)
        return freshDir(caches('initial', name))
      },
      expectedFolders: 1,
    }),
  })
  // The last initial run's output is the starting point of the other two cases.
  for (const name of ['ours', 'theirs']) {
    if (initial[name]) await copyDir(dirs('initial', name), dirs('generated', name))
  }
  const sqlInitial = await compareSql(ctx, sides, initial, (name) => dirs('generated', name))
  const generated = { ours: Boolean(initial.ours), theirs: Boolean(initial.theirs) }

  // The no-op runs start from the temp folder the last initial run left (a user's, after a first generate),
  // so whatever a tool caches there beyond jiti's per-path transforms (ash-sqlite: drizzle-kit's compiled
  // code) is warm, as it would be for that user. jiti's entries miss (other paths) until the warm-up run.
  for (const name of ['ours', 'theirs']) {
    if (generated[name]) await copyDir(caches('initial', name), caches('no-op', name))
  }
  ctx.log(`generate, ${named}: no-op`)
  const noop = await runCase(ctx, sides, {
    label: `generate ${named} no-op`,
    runs,
    enabled: generated,
    caseSetup: (name) => ({
      label: `${named}, no-op`,
      project: dirs('generated', name),
      // The warm-up run fills this cache; it is kept for the measured runs.
      prepare: async () => {
        await mkdir(caches('no-op', name), { recursive: true })
        return caches('no-op', name)
      },
      expectedFolders: 1,
    }),
  })

  // The one-change runs happen in the very directory the no-op runs warmed the cache for: jiti's cache
  // is keyed by file path (and checked against the content), so a copy elsewhere would miss everywhere.
  for (const name of ['ours', 'theirs']) {
    if (generated[name]) await copyDir(dirs('generated', name), dirs('pristine', name))
  }
  ctx.log(`generate, ${named}: one change`)
  const change = await runCase(ctx, sides, {
    label: `generate ${named} one change`,
    runs,
    enabled: generated,
    caseSetup: (name) => ({
      label: `${named}, one change`,
      project: dirs('generated', name),
      prepare: async (project) => {
        await copyDir(dirs('pristine', name), project)
        await sides[name].writeSchema(project, changed)
        await copyDir(caches('no-op', name), caches('one-change', name))
        return caches('one-change', name)
      },
      expectedFolders: 2,
    }),
  })
  const sqlChange = await compareSql(ctx, sides, change, (name) => dirs('generated', name))

  const result = {
    size,
    layout,
    runs,
    cases: { initial, 'no-op': noop, 'one change': change },
    sql: { initial: sqlInitial, 'one change': sqlChange },
  }
  ctx.cache.set(cacheKey, result)
  return result
}

async function compareSql(ctx, sides, comparison, projectOf) {
  if (!comparison.ours || !comparison.theirs) return null
  const result = await compareNewestMigrations(
    sides.ours.migrationsDir(projectOf('ours')),
    sides.theirs.migrationsDir(projectOf('theirs')),
  )
  if (!result.same) ctx.log(`  note: ${describeSqlComparison(result)}`)
  return result
}

/** Result rows of the generate scenario. */
export const generateScenario = {
  id: 'generate',
  title: 'ash-sqlite generate vs drizzle-kit generate (CLI)',
  async run(ctx) {
    const rows = []
    for (const layout of ctx.options.layouts) {
      for (const size of ctx.options.sizes) {
        rows.push(...generateRows(await measureGenerate(ctx, size, ctx.options.runs, layout)))
      }
    }
    return rows
  },
}

function generateRows(measured) {
  const { size, layout } = measured
  return GENERATE_CASES.flatMap((generateCase) => {
    const comparison = measured.cases[generateCase]
    const row = {
      scenario: `generate ${generateCase}${layoutSuffix(layout)}`,
      size,
      unit: 'ms',
      ours: comparison.ours?.time ?? null,
      theirs: comparison.theirs?.time ?? null,
      target: generateTarget(generateCase, size),
      errors: comparison.errors,
      note: describeSqlComparison(measured.sql[generateCase]),
      details: generateCase in measured.sql ? { sql: measured.sql[generateCase] } : undefined,
    }
    // CPU time (user + system) of the same runs: on a machine shared with other work, wall time also counts
    // the waits for the other processes; CPU time is what each tool itself spent.
    if (!comparison.ours?.cpu && !comparison.theirs?.cpu) return [row]
    const cpuRow = {
      ...row,
      scenario: `generate ${generateCase} CPU time${layoutSuffix(layout)}`,
      ours: comparison.ours?.cpu ?? null,
      theirs: comparison.theirs?.cpu ?? null,
      note: 'user + system CPU of the runs above',
      details: undefined,
    }
    return [row, cpuRow]
  })
}
