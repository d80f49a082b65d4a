/** Command-line options of bench/run.mjs. */
import { parseArgs } from 'node:util'
import { LAYOUTS } from '../fixtures/write-files.mjs'

export const USAGE = `Usage: node bench/run.mjs [options]

  --sizes 10,100,1000   table counts for the generate scenarios (default 10,100,1000)
  --runs N              measured runs per side and case, after one warm-up each (default 5)
  --only a,b            scenarios to run: SCENARIOS (default: DEFAULTS)
  --quick               sizes 10,100, 3 runs, a fleet of 50 (explicit options win)
  --layouts a,b         schema layouts of the generate scenarios: single (one file), split (10 tables
                        per file) (default single)
  --migrations N        migrations applied by the migrate scenarios (default 100)
  --memory-size N       table count for peak memory (default: the largest of --sizes)
  --fleet-size N,M      databases of the fleet scenario, one or several sizes (default 200, 50 with --quick)
  --fleet-migrations N  migrations per database in the fleet scenario (default 20)
  --rebuild-rows N      parent rows (and as many cascade children) of the rebuild scenario (default 1000000)
  --no-write            print only; leave bench/RESULTS.md and bench/results.json alone
  --keep-work           keep the scratch projects (bench/.work/run-<pid>/) for inspection
  -h, --help            this text`

export class UsageError extends Error {
  name = 'UsageError'
}

function positiveIntegers(flag, text) {
  const values = text.split(',').map((part) => Number(part.trim()))
  if (values.length === 0 || values.some((value) => !Number.isInteger(value) || value < 1)) {
    throw new UsageError(`${flag} takes positive integers separated by commas, got "${text}"`)
  }
  return values
}

function positiveInteger(flag, text) {
  const values = positiveIntegers(flag, text)
  if (values.length !== 1) throw new UsageError(`${flag} takes one positive integer, got "${text}"`)
  return values[0]
}

/**
 * Parsed options, or throws UsageError. `scenarioIds` are the valid values of --only, `defaultIds` the
 * scenarios run without it.
 */
export function parseOptions(argv, scenarioIds, defaultIds = scenarioIds) {
  const { values } = parseArgs({
    args: argv,
    options: {
      sizes: { type: 'string' },
      runs: { type: 'string' },
      only: { type: 'string' },
      quick: { type: 'boolean', default: false },
      layouts: { type: 'string' },
      migrations: { type: 'string' },
      'memory-size': { type: 'string' },
      'fleet-size': { type: 'string' },
      'fleet-migrations': { type: 'string' },
      'rebuild-rows': { type: 'string' },
      'no-write': { type: 'boolean', default: false },
      'keep-work': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  })
  const quick = values.quick
  const sizes = values.sizes ? positiveIntegers('--sizes', values.sizes) : quick ? [10, 100] : [10, 100, 1000]
  const only = values.only ? values.only.split(',').map((id) => id.trim()) : defaultIds
  const unknown = only.filter((id) => !scenarioIds.includes(id))
  if (unknown.length > 0) {
    throw new UsageError(`--only: unknown scenario ${unknown.join(', ')} (known: ${scenarioIds.join(', ')})`)
  }
  const layouts = values.layouts ? [...new Set(values.layouts.split(',').map((layout) => layout.trim()))] : ['single']
  const unknownLayouts = layouts.filter((layout) => !LAYOUTS.includes(layout))
  if (unknownLayouts.length > 0) {
    throw new UsageError(`--layouts: unknown layout ${unknownLayouts.join(', ')} (known: ${LAYOUTS.join(', ')})`)
  }
  return {
    help: values.help,
    quick,
    sizes: [...new Set(sizes)].sort((a, b) => a - b),
    runs: values.runs ? positiveInteger('--runs', values.runs) : quick ? 3 : 5,
    only,
    layouts,
    migrations: values.migrations ? positiveInteger('--migrations', values.migrations) : 100,
    memorySize: values['memory-size'] ? positiveInteger('--memory-size', values['memory-size']) : Math.max(...sizes),
    fleetSizes: values['fleet-size'] ? positiveIntegers('--fleet-size', values['fleet-size']) : quick ? [50] : [200],
    fleetMigrations: values['fleet-migrations']
      ? positiveInteger('--fleet-migrations', values['fleet-migrations'])
      : 20,
    rebuildRows: values['rebuild-rows'] ? positiveInteger('--rebuild-rows', values['rebuild-rows']) : 1_000_000,
    write: !values['no-write'],
    keepWork: values['keep-work'],
  }
}
