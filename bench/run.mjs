#!/usr/bin/env node
/**
 * ash-sqlite vs drizzle-kit / drizzle-orm, side by side in one run. See README.md.
 *   node bench/run.mjs [--quick] [--sizes 10,100,1000] [--runs 5] [--only generate,migrate,coldstart,memory]
 * `pnpm bench` builds the workspace first (the ash-sqlite CLI runs from dist/).
 */
import { relative } from 'node:path'
import { parseOptions, USAGE, UsageError } from './lib/args.mjs'
import { describeMachine } from './lib/machine.mjs'
import { memoryMethod } from './lib/measure.mjs'
import { BENCH_DIR, REPO_ROOT, toolVersions } from './lib/packages.mjs'
import { collectErrors, renderConsoleTable, withRatios, writeResults } from './lib/report.mjs'
import { detectTools } from './lib/tools.mjs'
import { removeStaleWorkDirs, removeWorkDir, WORK_DIR } from './lib/workdir.mjs'
import { DEFAULT_SCENARIO_IDS, SCENARIOS } from './scenarios/index.mjs'

const log = (message) => process.stderr.write(`${message}\n`)

const SCENARIO_IDS = SCENARIOS.map((scenario) => scenario.id)
const usage = () =>
  USAGE.replace('SCENARIOS', SCENARIO_IDS.join(', ')).replace('DEFAULTS', DEFAULT_SCENARIO_IDS.join(','))

function readOptions() {
  try {
    return parseOptions(process.argv.slice(2), SCENARIO_IDS, DEFAULT_SCENARIO_IDS)
  } catch (error) {
    if (error instanceof UsageError || String(error.code).startsWith('ERR_PARSE_ARGS')) {
      log(`bench: ${error.message}\n\n${usage()}`)
      process.exit(2)
    }
    throw error
  }
}

/** A scenario that breaks (a fixture, the file system) becomes an error row; the others still run. */
async function runScenario(scenario, ctx) {
  try {
    return await scenario.run(ctx)
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).replaceAll(REPO_ROOT, '.')
    log(`  ${scenario.id} failed: ${message}`)
    return [
      {
        scenario: scenario.id,
        size: null,
        unit: 'ms',
        ours: null,
        theirs: null,
        target: null,
        errors: { bench: message },
      },
    ]
  }
}

async function main() {
  const options = readOptions()
  if (options.help) {
    log(usage())
    return 0
  }
  const started = Date.now()
  const tools = await detectTools()
  if (!tools.ash.available) log(`ash-sqlite not available, measuring the drizzle side only: ${tools.ash.reason}`)
  const ctx = {
    options,
    tools,
    log,
    cache: new Map(),
    // Colour codes would only add noise to captured output; both tools get the same environment.
    childEnv: { ...process.env, NO_COLOR: '1' },
  }

  await removeStaleWorkDirs()
  const rows = []
  try {
    for (const scenario of SCENARIOS.filter((candidate) => options.only.includes(candidate.id))) {
      log(`\n== ${scenario.title}`)
      rows.push(...(await runScenario(scenario, ctx)))
    }
  } finally {
    if (options.keepWork) log(`\nscratch projects kept in ${relative(process.cwd(), WORK_DIR)}`)
    else await removeWorkDir()
  }

  const results = withRatios(rows)
  process.stdout.write(`\n${renderConsoleTable(results)}\n`)
  const run = {
    date: new Date().toISOString(),
    command: ['node', relative(REPO_ROOT, process.argv[1] ?? 'bench/run.mjs'), ...process.argv.slice(2)].join(' '),
    durationMs: Date.now() - started,
    options,
    machine: describeMachine(),
    versions: toolVersions(),
    memoryMethod: memoryMethod(),
    ash: { available: tools.ash.available, reason: tools.ash.reason },
    rows: results,
  }
  if (options.write) {
    const warning = await writeResults(BENCH_DIR, run)
    if (warning) log(`warning: RESULTS.md and results.json are not formatted (${warning})`)
    log(`\nwrote ${relative(process.cwd(), `${BENCH_DIR}/RESULTS.md`)} and results.json`)
  }
  const errors = collectErrors(results)
  for (const error of errors) log(`error: ${error}`)
  log(`took ${Math.round(run.durationMs / 1000)} s`)
  return errors.length > 0 ? 1 : 0
}

process.exitCode = await main()
