/**
 * Property: random sequences of resource changes over random rows. After every step, `generate` + `migrate`
 * leave exactly the schema the resources describe (PRAGMA table_info, index_list, index_info,
 * foreign_key_list, table_list) and the rows the model predicts; rolling everything back empties the
 * database; migrating again, and migrating a fresh database, rebuild the final schema.
 *
 * CI runs a fixed seed and a bounded number of runs (about 10 s). For more, on demand:
 *   EVOLUTION_RUNS=500 EVOLUTION_SEED=123 npx vitest run --project migrations src/evolution/schema-evolution
 * (EVOLUTION_SEED defaults to a fixed value; EVOLUTION_SEED=random picks one and prints it on failure;
 * EVOLUTION_STEPS=12 makes longer scenarios than the default 6 steps after the initial one).
 * A failure prints the shrunk scenario step by step; turn it into a test in regressions.test.ts.
 * Under CI (env CI set) a failure is reported without shrinking, to keep the job bounded; rerun it locally
 * with the printed seed and path (EVOLUTION_PATH) to shrink it.
 */
import fc from 'fast-check'
import { test } from 'vitest'
import { DEFAULT_LIMITS, scenarioArbitrary } from './test-utils/arbitraries.js'
import { runScenario } from './test-utils/run-scenario.js'

const FIXED_SEED = 20_261_125
const CI_RUNS = 25

const runs = integerFromEnv('EVOLUTION_RUNS', CI_RUNS)
const seed = process.env.EVOLUTION_SEED === 'random' ? Date.now() : integerFromEnv('EVOLUTION_SEED', FIXED_SEED)
const path = process.env.EVOLUTION_PATH
const limits = { ...DEFAULT_LIMITS, maxSteps: integerFromEnv('EVOLUTION_STEPS', DEFAULT_LIMITS.maxSteps) }

function integerFromEnv(name: string, fallback: number): number {
  const text = process.env[name]
  if (text === undefined || text === '') return fallback
  const value = Number(text)
  if (!Number.isSafeInteger(value)) throw new Error(`${name}=${text} is not an integer`)
  return value
}

test(
  'generate + migrate follow random resource changes, keep the data, and roll back to an empty database',
  async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArbitrary(limits), (scenario) => runScenario(scenario)),
      {
        seed,
        numRuns: runs,
        ...(path === undefined ? {} : { path }),
        endOnFailure: process.env.CI !== undefined && process.env.EVOLUTION_SHRINK !== '1',
      },
    )
  },
  Math.max(120_000, runs * limits.maxSteps * 3_000),
)
