import { databaseArgs, globalArgs } from '../args.js'
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
    ...globalArgs,
  },
  async run(args, cli) {
    const step = parseIntegerOption(args.step, '--step')
    const concurrency = parseIntegerOption(args.concurrency, '--concurrency')
    const config = await cli.loadConfig()
    const { migrate } = await import('../../migrator/index.js')
    const result = await migrate(config, {
      repo: args.repo,
      database: args.database,
      step,
      to: args.to,
      dryRun: args['dry-run'],
      allowChanged: args['allow-changed'],
      concurrency,
      onEvent: migratorProgress(cli.printer),
    })
    return printRunResult(result, cli.printer, { verbose: args.verbose })
  },
})

export default command
