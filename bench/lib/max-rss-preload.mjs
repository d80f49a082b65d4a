/**
 * Preloaded with `--import` when GNU time is not installed: records this process's peak RSS (in KB, the
 * unit GNU time uses) and its user and system CPU seconds when it exits, as GNU time's `%M %U %S` would.
 * The variable is removed at once so child processes do not inherit it.
 */
import { writeFileSync } from 'node:fs'

const file = process.env.BENCH_MAX_RSS_FILE
delete process.env.BENCH_MAX_RSS_FILE
if (file) {
  process.on('exit', () => {
    const usage = process.resourceUsage()
    writeFileSync(file, `${usage.maxRSS} ${usage.userCPUTime / 1e6} ${usage.systemCPUTime / 1e6}\n`)
  })
}
