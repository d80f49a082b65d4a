/**
 * Side-by-side measurement: both tools run in the same bench process, alternately, so that whatever
 * drifts during a run (CPU frequency, page cache, other load) affects both sides alike.
 */
import { REPO_ROOT } from './packages.mjs'
import { summarize } from './stats.mjs'

/**
 * A side is `{ run(iteration) -> Promise<{ ms, maxRssKb? }> }` (prepare, measure, validate), or null when
 * that tool is not available. Each side first gets one discarded warm-up run (page cache, Node's compile
 * cache), then `runs` measured runs in the order ours/theirs, theirs/ours, ... .
 * A side that throws stops being measured; the error is returned, the other side carries on.
 *
 * Returns `{ ours, theirs, errors }`, where a side is `{ time, memory, cpu }` summaries (memory in KB, cpu =
 * user + system CPU ms, when the side's samples carry `cpuMs`) or null.
 */
export async function compareSides({ label, runs, warmUp = true, ours, theirs, log }) {
  const sides = { ours, theirs }
  const samples = { ours: [], theirs: [] }
  const errors = {}

  async function attempt(name, iteration) {
    const side = sides[name]
    if (!side || errors[name]) return
    try {
      const sample = await side.run(iteration)
      if (iteration !== 'warm-up') samples[name].push(sample)
    } catch (error) {
      // Relative paths: results are committed, and the checkout's location is nobody's business.
      errors[name] = (error instanceof Error ? error.message : String(error)).replaceAll(REPO_ROOT, '.')
      log(`  ${label}: ${name === 'ours' ? 'ash-sqlite' : 'drizzle'} failed: ${errors[name]}`)
    }
  }

  if (warmUp) {
    await attempt('ours', 'warm-up')
    await attempt('theirs', 'warm-up')
  }
  for (let iteration = 0; iteration < runs; iteration++) {
    const order = iteration % 2 === 0 ? ['ours', 'theirs'] : ['theirs', 'ours']
    for (const name of order) await attempt(name, iteration)
  }

  const summaryOf = (name) =>
    sides[name] && !errors[name]
      ? {
          time: summarize(samples[name].map((sample) => sample.ms)),
          memory: summarize(samples[name].map((sample) => sample.maxRssKb)),
          cpu: summarize(samples[name].map((sample) => sample.cpuMs)),
        }
      : null
  const result = { ours: summaryOf('ours'), theirs: summaryOf('theirs'), errors }
  const median = (side) => (side?.time ? `${Math.round(side.time.median)} ms` : 'n/a')
  const cpu = (side) => (side?.cpu ? `, CPU ${Math.round(side.cpu.median)} ms` : '')
  log(
    `  ${label}: ash-sqlite ${median(result.ours)}${cpu(result.ours)}, drizzle ${median(result.theirs)}${cpu(result.theirs)} (medians of ${runs})`,
  )
  return result
}
