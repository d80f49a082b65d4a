import { databaseArgs, globalArgs, localArg, lockTimeoutArg, lockTimeoutMs } from '../args.js'
import { type CliCommand, defineCliCommand } from '../command.js'
import { parseIntegerOption } from '../parse-args.js'
import { databaseProgress } from '../report.js'
import { printStatusResult } from '../status-report.js'

const command: CliCommand = defineCliCommand({
  meta: {
    name: 'status',
    description: 'Show applied, pending, changed, missing and out-of-order migrations per database',
  },
  examples: [
    { command: 'status', does: "List each database's migrations: applied, pending, changed, missing" },
    { command: 'status --check', does: 'CI or deploy: exit 1 unless every migration is applied unchanged' },
    { command: 'status --json', does: 'The same as a JSON document' },
    { command: 'status --repo tenants --verbose', does: 'Every database of a fleet, not only those needing attention' },
  ],
  args: {
    check: {
      type: 'boolean',
      description: 'Exit 1 when anything is pending, changed, missing or in conflict (CI, deploy checks)',
    },
    ...databaseArgs,
    ...localArg,
    ...lockTimeoutArg,
    ...globalArgs,
  },
  async run(args, cli) {
    const concurrency = parseIntegerOption(args.concurrency, '--concurrency')
    const lockTimeout = lockTimeoutMs(args['lock-timeout'])
    const config = await cli.loadConfig()
    const { status, problemsOf } = await import('../../migrator/index.js')
    const result = await status(config, {
      repo: args.repo,
      local: args.local,
      database: args.database,
      concurrency,
      lockTimeoutMs: lockTimeout,
      onEvent: databaseProgress(cli.printer, 'status'),
    })
    return printStatusResult(result, problemsOf(result), cli.printer, { check: args.check, verbose: args.verbose })
  },
})

export default command
