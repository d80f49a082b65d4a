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
  args: { ...databaseArgs, ...localArg, ...lockTimeoutArg, ...globalArgs },
  async run(args, cli) {
    const concurrency = parseIntegerOption(args.concurrency, '--concurrency')
    const lockTimeout = lockTimeoutMs(args['lock-timeout'])
    const config = await cli.loadConfig()
    const { status } = await import('../../migrator/index.js')
    const result = await status(config, {
      repo: args.repo,
      local: args.local,
      database: args.database,
      concurrency,
      lockTimeoutMs: lockTimeout,
      onEvent: databaseProgress(cli.printer, 'status'),
    })
    return printStatusResult(result, cli.printer)
  },
})

export default command
