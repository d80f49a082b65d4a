// Runs the migrator in a child process, for tests that need real processes (concurrency, SIGKILL).
//
//   node run-migrator.mjs <migrate|rollback|status> '<json>'
//
// <json> is { config, options?, startAt? }: a ResolvedConfig (fleet repos may give `databases` as an
// array, turned into a function here), the command's options, and an epoch-ms moment to wait for, so
// several children start their work at the same time. Prints one JSON line per migrator event
// ({"event": ...}) and finally {"result": ...}; exits 0 when the result is ok, 1 otherwise.
//
// It imports the TypeScript sources through jiti (see src/test-utils/README.md for why not dist/).
import { createJiti } from 'jiti'

const jiti = createJiti(import.meta.url)
const migrator = await jiti.import('../index.ts')

const [command, json] = process.argv.slice(2)
const { config, options = {}, startAt } = JSON.parse(json ?? '{}')
const repos = config.repos.map((entry) =>
  Array.isArray(entry.repo.databases)
    ? { ...entry, repo: { ...entry.repo, databases: () => entry.repo.databases } }
    : entry,
)

const errorsAsData = (_key, value) =>
  value instanceof Error ? { name: value.name, code: value.code, message: value.message } : value
const print = (line) => process.stdout.write(`${JSON.stringify(line, errorsAsData)}\n`)

if (typeof startAt === 'number') await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt - Date.now())))

const run = { migrate: migrator.migrate, rollback: migrator.rollback, status: migrator.status }[command]
if (run === undefined) throw new Error(`unknown command ${command}`)
const result = await run({ ...config, repos }, { ...options, onEvent: (event) => print({ event }) })
print({ result })
process.exitCode = result.ok ? 0 : 1
