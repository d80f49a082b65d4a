/**
 * fast-check arbitraries for evolution scenarios: an initial schema (tables, then changes that fill them),
 * then steps of one to three changes each, with random rows after every step. Generated values are intents
 * (`resolve-intent.ts`); `resolveScenario` turns them into valid commands, so shrinking an intent list always
 * yields a valid, smaller scenario.
 */
import fc from 'fast-check'
import type { RowSeed } from './data-model.js'
import { type Intent, type IntentKind, resolveIntent } from './resolve-intent.js'
import { describeScenario, type EvolutionStep, type Scenario } from './scenario.js'
import { applyCommand, type Command, EMPTY_SCHEMA, type SchemaModel, startStep } from './schema-model.js'

export interface ScenarioIntents {
  readonly initial: readonly Intent[]
  readonly steps: readonly (readonly Intent[])[]
  /** Rows after the initial step, then after each step. */
  readonly rows: readonly (readonly RowSeed[])[]
}

/** Relative frequency of each change (the shrinker prefers the kinds listed first). */
const CHANGE_WEIGHTS: readonly [IntentKind, number][] = [
  ['addColumn', 6],
  ['dropColumn', 3],
  ['renameColumn', 4],
  ['changeType', 5],
  ['setNullability', 4],
  ['setDefault', 3],
  ['addIdentity', 3],
  ['dropIdentity', 2],
  ['addIndex', 3],
  ['dropIndex', 2],
  ['addBelongsTo', 4],
  ['dropBelongsTo', 2],
  ['renameBelongsTo', 2],
  ['setOnDelete', 3],
  ['setStrict', 3],
  ['setGenerated', 3],
  ['addWatch', 3],
  ['dropWatch', 1],
  ['addTable', 2],
  ['dropTable', 1],
  ['renameTable', 2],
]

const SEEDS = 5

function intentOf(kind: fc.Arbitrary<IntentKind>): fc.Arbitrary<Intent> {
  return fc.record({ kind, seeds: fc.array(fc.nat({ max: 9999 }), { minLength: SEEDS, maxLength: SEEDS }) })
}

export const changeIntent: fc.Arbitrary<Intent> = intentOf(
  fc.oneof(...CHANGE_WEIGHTS.map(([kind, weight]) => ({ arbitrary: fc.constant(kind), weight }))),
)

const addTableIntent: fc.Arbitrary<Intent> = intentOf(fc.constant('addTable'))

const rowSeed: fc.Arbitrary<RowSeed> = fc.record({
  table: fc.nat({ max: 99 }),
  values: fc.array(fc.nat({ max: 9999 }), { minLength: 1, maxLength: 4 }),
})

export interface ScenarioLimits {
  /** Steps after the initial one. */
  readonly maxSteps: number
  /** Changes per step. */
  readonly maxChanges: number
  /** Rows inserted after each step. */
  readonly maxRows: number
}

export const DEFAULT_LIMITS: ScenarioLimits = { maxSteps: 6, maxChanges: 3, maxRows: 5 }

export function scenarioIntents(limits: ScenarioLimits = DEFAULT_LIMITS): fc.Arbitrary<ScenarioIntents> {
  return fc.record({
    initial: fc
      .tuple(
        fc.array(addTableIntent, { minLength: 1, maxLength: 3 }),
        fc.array(changeIntent, { minLength: 2, maxLength: 10 }),
      )
      .map(([tables, changes]) => [...tables, ...changes]),
    steps: fc.array(fc.array(changeIntent, { minLength: 1, maxLength: limits.maxChanges }), {
      minLength: Math.min(2, limits.maxSteps),
      maxLength: limits.maxSteps,
    }),
    rows: fc.array(fc.array(rowSeed, { maxLength: limits.maxRows }), {
      minLength: limits.maxSteps + 1,
      maxLength: limits.maxSteps + 1,
    }),
  })
}

/** Valid commands for the intents (see `resolveWithFallback` for an intent the model offers nothing for). */
export function resolveScenario(intents: ScenarioIntents): Scenario {
  let model: SchemaModel = EMPTY_SCHEMA
  const steps: EvolutionStep[] = []
  for (const [index, stepIntents] of [intents.initial, ...intents.steps].entries()) {
    const start = startStep(model)
    let current = start
    const commands: Command[] = []
    for (const intent of stepIntents) {
      const command = resolveWithFallback(current, start, intent)
      if (command === null) continue
      commands.push(command)
      current = applyCommand(current, command)
    }
    steps.push({ commands, rows: intents.rows[index] ?? [] })
    model = current
  }
  return withReadableString({ steps })
}

/**
 * An intent the model offers nothing for (dropping an index of a table without one) becomes a new column,
 * or a new table, so that short sequences still change something.
 */
function resolveWithFallback(model: SchemaModel, start: SchemaModel, intent: Intent): Command | null {
  for (const kind of [intent.kind, 'addColumn', 'addTable'] as const) {
    const command = resolveIntent(model, start, { ...intent, kind })
    if (command !== null) return command
  }
  return null
}

/** fast-check prints counterexamples through this: the command lines, not a wall of nested JSON. */
function withReadableString(scenario: Scenario): Scenario {
  return Object.defineProperty(scenario, fc.toStringMethod, {
    value: () => `\n${describeScenario(scenario)}\n`,
    enumerable: false,
  })
}

export function scenarioArbitrary(limits: ScenarioLimits = DEFAULT_LIMITS): fc.Arbitrary<Scenario> {
  return scenarioIntents(limits).map(resolveScenario)
}
