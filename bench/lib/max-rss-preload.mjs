/**
 * Preloaded with `--import` when GNU time is not installed: records this process's peak RSS (in KB, the
 * unit GNU time uses) when it exits. The variable is removed at once so child processes do not inherit it.
 */
import { writeFileSync } from 'node:fs'

const file = process.env.BENCH_MAX_RSS_FILE
delete process.env.BENCH_MAX_RSS_FILE
if (file) {
  process.on('exit', () => {
    writeFileSync(file, `${process.resourceUsage().maxRSS}\n`)
  })
}
