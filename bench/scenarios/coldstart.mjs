/**
 * CLI cold start: `ash-sqlite --help` vs `drizzle-kit --help`, each a fresh Node process. This is the
 * fixed cost every command pays before doing any work (module loading, argument parsing).
 */
import { compareSides } from '../lib/compare.mjs'
import { runProcessOk } from '../lib/measure.mjs'
import { REPO_ROOT } from '../lib/packages.mjs'

const COLDSTART_TARGET = 0.5
/** Cheap runs, and the quantity is small and noisy: take more of them. */
const MIN_RUNS = 10

export const coldstartScenario = {
  id: 'coldstart',
  title: 'CLI cold start: --help',
  async run(ctx) {
    const { tools } = ctx
    const runs = Math.max(ctx.options.runs, MIN_RUNS)
    const side = (label, bin) => ({
      run: () => runProcessOk(label, { command: tools.node, args: [bin, '--help'], cwd: REPO_ROOT, env: ctx.childEnv }),
    })
    ctx.log(`cold start: ${runs} runs`)
    const comparison = await compareSides({
      label: 'cold start',
      runs,
      log: ctx.log,
      ours: tools.ash.available ? side('ash-sqlite --help', tools.ash.bin) : null,
      theirs: side('drizzle-kit --help', tools.drizzleKitBin),
    })
    return [
      {
        scenario: 'cold start (--help)',
        size: null,
        unit: 'ms',
        ours: comparison.ours?.time ?? null,
        theirs: comparison.theirs?.time ?? null,
        target: COLDSTART_TARGET,
        errors: comparison.errors,
        note: `${runs} runs`,
      },
    ]
  },
}
