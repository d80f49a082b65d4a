// Preloaded with `node --import` by the CLI tests: appends every module the process resolves to the file
// named by ASH_SQLITE_LOAD_LOG, ES modules through a resolve hook and CommonJS through Module._load, so a
// test can check what a command does not load (drizzle-kit, the generator).
import { appendFileSync } from 'node:fs'
import Module, { register } from 'node:module'

const log = process.env.ASH_SQLITE_LOAD_LOG

if (log) {
  register('./record-loads-hooks.mjs', import.meta.url, { data: { log } })
  const load = Module._load
  Module._load = function recordLoad(request, parent, isMain) {
    const loaded = load.call(this, request, parent, isMain)
    try {
      appendFileSync(log, `cjs ${Module._resolveFilename(request, parent, isMain)}\n`)
    } catch {
      appendFileSync(log, `cjs ${request}\n`)
    }
    return loaded
  }
}
