import { databaseArgs, globalArgs, localArg, lockTimeoutArg, lockTimeoutMs } from '../args.js'
import { type CliCommand, defineCliCommand } from '../command.js'
import { printDriftResult } from '../drift-report.js'
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
    drift: {
      type: 'boolean',
      description: 'Compare each live schema with what its applied migrations build; exit 1 when one differs',
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
    const selection = { repo: args.repo, database: args.database, concurrency }
    if (args.drift) {
      const { drift } = await import('../../drift/drift.js')
      const result = await drift(config, {
        ...selection,
        onDatabase: (_database, progress) => cli.printer.progress(`checking drift: ${progress.done}/${progress.total}`),
      })
      cli.printer.endProgress()
      return printDriftResult(result, cli.printer)
    }
    const { status, problemsOf } = await import('../../migrator/index.js')
    const result = await status(config, {
      ...selection,
      local: args.local,
      lockTimeoutMs: lockTimeout,
      onEvent: databaseProgress(cli.printer, 'status'),
    })
    return printStatusResult(result, problemsOf(result), cli.printer, { check: args.check, verbose: args.verbose })
  },
})

export default command
