import { databaseArgs, globalArgs, localArg, lockTimeoutArg, lockTimeoutMs } from '../args.js'
import { type CliCommand, defineCliCommand } from '../command.js'
import { parseIntegerOption } from '../parse-args.js'
import { migratorProgress, printRunResult } from '../run-report.js'

const command: CliCommand = defineCliCommand({
  meta: { name: 'rollback', description: 'Undo applied migrations with their down.sql (default: the last one)' },
  examples: [
    { command: 'rollback', does: 'Undo the last applied migration of every database' },
    { command: 'rollback --step 2 --repo main', does: 'Undo the last two migrations of repo main' },
    { command: 'rollback --to 20261125120000', does: 'Undo every migration applied after that one' },
    { command: 'rollback --all --dry-run', does: 'Show what undoing everything would run' },
  ],
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
    return printRunResult(result, cli.printer, { verbose: args.verbose })
  },
})

export default command
