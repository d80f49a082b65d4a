/**
 * Every scenario, in the order they run. A scenario is `{ id, title, run(ctx) -> rows }` (with
 * `byDefault: false` it runs only when named by --only); a row is
 * `{ scenario, size, sizeLabel?, unit, ours, theirs, target, errors, note, details? }` with `ours` and
 * `theirs` as `{ median, min, max, samples }` (or null when that side was not measured).
 * Adding a scenario (e.g. migrating a fleet of databases) = one module here plus one line below.
 */
import { coldstartScenario } from './coldstart.mjs'
import { fleetScenario } from './fleet.mjs'
import { generateScenario } from './generate.mjs'
import { memoryScenario } from './memory.mjs'
import { migrateScenario } from './migrate.mjs'
import { rebuildScenario } from './rebuild.mjs'

export const SCENARIOS = [
  generateScenario,
  memoryScenario,
  migrateScenario,
  coldstartScenario,
  fleetScenario,
  rebuildScenario,
]

/** Ids run when --only is not given. */
export const DEFAULT_SCENARIO_IDS = SCENARIOS.filter((scenario) => scenario.byDefault !== false).map((s) => s.id)
