import { databaseArgs, globalArgs, localArg, lockTimeoutArg, lockTimeoutMs } from '../args.js'
import { type CliCommand, defineCliCommand } from '../command.js'
import { parseIntegerOption } from '../parse-args.js'
import { migratorProgress, printRunResult } from '../run-report.js'

const command: CliCommand = defineCliCommand({
  meta: { name: 'migrate', description: 'Apply pending migrations to every database of every repo' },
  args: {
    step: { type: 'string', alias: 'n', valueHint: 'n', description: 'Apply at most N migrations per database' },
    to: {
      type: 'string',
      valueHint: 'version',
      description: 'Apply up to and including this migration (folder name or timestamp)',
    },
    'dry-run': { type: 'boolean', description: 'Show what would be applied, change nothing' },
    'allow-changed': { type: 'boolean', description: 'Migrate even though an applied migration.sql was edited' },
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
    const { migrate } = await import('../../migrator/index.js')
    const result = await migrate(config, {
      repo: args.repo,
      local: args.local,
      database: args.database,
      step,
      to: args.to,
      dryRun: args['dry-run'],
      allowChanged: args['allow-changed'],
      concurrency,
      lockTimeoutMs: lockTimeout,
      onEvent: migratorProgress(cli.printer),
    })
    return printRunResult(result, cli.printer)
  },
})

export default command
