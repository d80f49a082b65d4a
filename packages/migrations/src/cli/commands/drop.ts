import { isAbsolute, relative } from 'node:path'
import { UsageError } from '../../errors.js'
import { databaseArgs, globalArgs } from '../args.js'
import { type CliCommand, defineCliCommand } from '../command.js'
import { printOperationResult } from '../operation-report.js'
import { parseIntegerOption } from '../parse-args.js'
import { confirmDrop } from '../prompts.js'
import { databaseLabel, databaseProgress, plural } from '../report.js'

const command: CliCommand = defineCliCommand({
  meta: { name: 'drop', description: "Delete each repo's database file (asks first; --force when not on a terminal)" },
  examples: [
    { command: 'drop', does: "Delete every repo's database, after asking" },
    { command: 'drop --repo main --force', does: "Delete repo main's database without asking (scripts, CI)" },
  ],
  args: {
    force: { type: 'boolean', description: 'Delete without asking (required when not on a terminal)' },
    ...databaseArgs,
    ...globalArgs,
  },
  async run(args, cli) {
    if (!args.force && !cli.interactive) {
      throw new UsageError('drop deletes databases and there is no terminal to confirm it: pass --force.')
    }
    const concurrency = parseIntegerOption(args.concurrency, '--concurrency')
    const config = await cli.loadConfig()
    const { dropDatabases, resolveDatabases } = await import('../../database/index.js')
    const selection = { repo: args.repo, database: args.database }
    if (!args.force) {
      const entries = await resolveDatabases(config, selection)
      // Name what gets deleted (the file or URL), not only the repo: "main (file:data/main.db)".
      const labels = entries.map((entry) =>
        entry.kind === 'database'
          ? `${databaseLabel({ repo: entry.database.repo.name, database: entry.database.name })} (${entry.database.location.kind === 'file' ? displayPath(entry.database.location.path, config.cwd) : entry.database.displayUrl})`
          : `${databaseLabel(entry.unresolved)} (${entry.unresolved.url})`,
      )
      const shown = labels.slice(0, 5).join(', ') + (labels.length > 5 ? ` and ${labels.length - 5} more` : '')
      if (
        labels.length > 0 &&
        !(await confirmDrop(labels.length === 1 ? shown : `${plural(labels.length, 'database')}: ${shown}`, cli))
      ) {
        cli.printer.error('Nothing was deleted.')
        return 1
      }
    }
    const result = await dropDatabases(config, {
      ...selection,
      concurrency,
      onEvent: databaseProgress(cli.printer, 'drop'),
    })
    return printOperationResult(result, cli.printer, { verbose: args.verbose })
  },
})

export default command

/** The file as the user knows it: relative to the project when inside it, absolute otherwise. */
function displayPath(path: string, cwd: string): string {
  const inside = relative(cwd, path)
  return inside === '' || inside.startsWith('..') || isAbsolute(inside) ? path : inside
}
