import { databaseArgs, globalArgs } from '../args.js'
import { type CliCommand, defineCliCommand } from '../command.js'
import { printOperationResult } from '../operation-report.js'
import { parseIntegerOption } from '../parse-args.js'
import { databaseProgress } from '../report.js'

const command: CliCommand = defineCliCommand({
  meta: { name: 'create', description: "Create each repo's database (file databases; remote ones are left to you)" },
  examples: [
    { command: 'create', does: 'Create the database file of every repo' },
    { command: 'create --repo main', does: "Only repo main's database" },
  ],
  args: { ...databaseArgs, ...globalArgs },
  async run(args, cli) {
    const concurrency = parseIntegerOption(args.concurrency, '--concurrency')
    const config = await cli.loadConfig()
    const { createDatabases } = await import('../../database/index.js')
    const result = await createDatabases(config, {
      repo: args.repo,
      database: args.database,
      concurrency,
      onEvent: databaseProgress(cli.printer, 'create'),
    })
    return printOperationResult(result, cli.printer, { verbose: args.verbose })
  },
})

export default command
