/** A schema evolution scenario: steps of model commands, each followed by random rows. */
import type { RowSeed } from './data-model.js'
import { type Command, describeCommand } from './schema-model.js'

export interface EvolutionStep {
  /** Applied together: one `generate` and one `migrate` for all of them. */
  readonly commands: readonly Command[]
  /** Rows inserted after the step's migration. */
  readonly rows: readonly RowSeed[]
}

export interface Scenario {
  readonly steps: readonly EvolutionStep[]
}

/** The scenario as readable lines, one per step (failures print it; regression tests are written from it). */
export function describeScenario(scenario: Scenario): string {
  return scenario.steps
    .map((step, index) => {
      const commands = step.commands.map(describeCommand).join('\n    ')
      return `step ${index} (${step.rows.length} rows: ${JSON.stringify(step.rows)}):\n    ${commands || '(no change)'}`
    })
    .join('\n')
}
