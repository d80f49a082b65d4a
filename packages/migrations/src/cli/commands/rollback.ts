import { databaseArgs, globalArgs, localArg, lockTimeoutArg, lockTimeoutMs } from '../args.js'
import { type CliCommand, defineCliCommand } from '../command.js'
import { parseIntegerOption } from '../parse-args.js'
import { migratorProgress, printRunResult } from '../run-report.js'

const command: CliCommand = defineCliCommand({
  meta: { name: 'rollback', description: 'Undo applied migrations with their down.sql (default: the last one)' },
  args: {
    step: { type: 'string', alias: 'n', valueHint: 'n', description: 'Roll back the last N migrations' },
    to: {
      type: 'string',
      valueHint: 'version',
      description: 'Roll back every migration applied after this one (it stays applied)',
    },
    all: { type: 'boolean', description: 'Roll back every migration' },
    'dry-run': { type: 'boolean', description: 'Show what would be rolled back, change nothing' },
    ...databaseArgs,
    ...localArg,
    ...lockTimeoutArg,
    ...globalArgs,
  },
  async run(args, cli) {
    const step = parseIntegerOption(args.step, '--step')
    const concurrency = parseIntegerOption(args.concurrency, '--concurrency')
    const lockTimeout = lockTimeoutMs(args['lock-timeout'])
    const config = await cli.loadConfig()
    const { rollback } = await import('../../migrator/index.js')
    const result = await rollback(config, {
      repo: args.repo,
      local: args.local,
      database: args.database,
      step,
      to: args.to,
      all: args.all,
      dryRun: args['dry-run'],
      concurrency,
      lockTimeoutMs: lockTimeout,
      onEvent: migratorProgress(cli.printer),
    })
    return printRunResult(result, cli.printer)
  },
})

export default command
