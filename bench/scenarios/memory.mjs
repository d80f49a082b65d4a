/**
 * Peak memory (max RSS of the process) of generate at 1000 tables (or `--memory-size`), for both tools, in
 * every layout of the run.
 * The numbers come from the generate runs themselves (they all run under the memory probe); when the
 * generate scenario did not run at that size, this scenario runs it with fewer runs, since peak memory
 * varies far less than time.
 */
import { GENERATE_CASES, layoutSuffix, measureGenerate } from './generate.mjs'

const MAX_RUNS = 3

function kbToMb(summary) {
  if (!summary) return null
  const mb = (kb) => kb / 1024
  return { median: mb(summary.median), min: mb(summary.min), max: mb(summary.max), samples: summary.samples.map(mb) }
}

export const memoryScenario = {
  id: 'memory',
  title: 'peak memory (max RSS) of generate',
  async run(ctx) {
    const size = ctx.options.memorySize
    const runs = Math.min(ctx.options.runs, MAX_RUNS)
    const rows = []
    for (const layout of ctx.options.layouts) {
      const measured = ctx.cache.get(`generate:${layout}:${size}`) ?? (await measureGenerate(ctx, size, runs, layout))
      for (const generateCase of GENERATE_CASES) {
        const comparison = measured.cases[generateCase]
        rows.push({
          scenario: `generate ${generateCase} peak RSS${layoutSuffix(layout)}`,
          size,
          unit: 'MB',
          ours: kbToMb(comparison.ours?.memory ?? null),
          theirs: kbToMb(comparison.theirs?.memory ?? null),
          // The goal: at 1000 tables, never more memory than drizzle-kit, in every case.
          target: size === 1000 ? 1 : null,
          errors: comparison.errors,
          note: measured.runs === ctx.options.runs ? '' : `${measured.runs} runs`,
        })
      }
    }
    return rows
  },
}
