import { relative } from 'node:path'
import { globalArgs } from '../args.js'
import { type CliCommand, defineCliCommand } from '../command.js'
import { plural } from '../report.js'

const command: CliCommand = defineCliCommand({
  meta: {
    name: 'squash',
    description: 'Replace the migrations up to a version with one that builds their schema from nothing',
  },
  examples: [
    { command: 'squash --to 20260101000000', does: 'One migration for everything up to that version' },
    {
      command: 'squash --to 20260101000000 --name baseline --dry-run',
      does: 'Show what it would write; write nothing',
    },
  ],
  args: {
    to: { type: 'string', valueHint: 'version', description: 'Last migration to squash (folder name or timestamp)' },
    name: {
      type: 'string',
      valueHint: 'name',
      description: 'Squash folder name after the timestamp (default: squashed)',
    },
    repo: { type: 'string', valueHint: 'name', description: 'The repo (required when the config has several)' },
    'dry-run': { type: 'boolean', description: 'Print what would change; write nothing' },
    ...globalArgs,
  },
  async run(args, cli) {
    const { UsageError } = await import('../../errors.js')
    if (args.to === undefined) throw new UsageError('squash needs --to VERSION (the last migration to squash)')
    const config = await cli.loadConfig()
    const { squash } = await import('../../squash/squash.js')
    const dryRun = args['dry-run']
    const result = await squash(config, { repo: args.repo, to: args.to, name: args.name, dryRun })
    const { bold, green, red } = cli.printer.colors
    const verb = dryRun ? 'would ' : ''
    for (const path of result.removed)
      cli.printer.line(`${dryRun ? 'would move' : red('moved')} ${relative(config.cwd, path)}`)
    cli.printer.line(
      `${dryRun ? 'would write' : green('created')} ${result.folder} (${plural(result.statements, 'statement')})`,
    )
    for (const warning of result.warnings) cli.printer.warn(warning)
    cli.printer.line(
      bold(`${result.repo}: ${plural(result.replaces.length, 'migration')} ${verb}squashed into ${result.folder}.`),
    )
    cli.printer.printJson({
      ok: true,
      repo: result.repo,
      folder: result.folder,
      replaces: result.replaces,
      warnings: result.warnings,
      dryRun,
    })
    return 0
  },
})

export default command
