import { databaseArgs, globalArgs, localArg, lockTimeoutArg, lockTimeoutMs } from '../args.js'
import { type CliCommand, defineCliCommand } from '../command.js'
import { parseIntegerOption } from '../parse-args.js'
import { migratorProgress, printRunResult } from '../run-report.js'

const command: CliCommand = defineCliCommand({
  meta: { name: 'migrate', description: 'Apply pending migrations to every database of every repo' },
  examples: [
    { command: 'migrate', does: 'Apply every pending migration to every database' },
    { command: 'migrate --repo main --step 1', does: 'Apply only the next migration of repo main' },
    { command: 'migrate --to 20261125120000', does: 'Apply up to and including that migration' },
    { command: 'migrate --dry-run', does: 'Show what would be applied, with its SQL' },
    { command: 'migrate --repo tenants --database t1', does: 'One database of a fleet repo' },
  ],
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
    return printRunResult(result, cli.printer, { verbose: args.verbose })
  },
})

export default command
