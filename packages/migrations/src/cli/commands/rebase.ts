import { relative } from 'node:path'
import type { ResolvedConfig } from '../../config/resolved-config.js'
import type { RebaseResult } from '../../rebase/types.js'
import type { RegenEvent } from '../../regen/types.js'
import { databaseArgs, globalArgs, schemaDecisionArgs } from '../args.js'
import { type CliCommand, defineCliCommand } from '../command.js'
import type { Printer } from '../output.js'
import { parseIntegerOption } from '../parse-args.js'
import { askRenameDecision } from '../prompts.js'
import { databaseLabel, plural, printColumns } from '../report.js'
import { migratorProgress, printRunResult } from '../run-report.js'

const command: CliCommand = defineCliCommand({
  meta: {
    name: 'rebase',
    description:
      'After a branch merge whose migrations do not commute: roll back, delete and regenerate a migration on top of the other branch',
  },
  examples: [
    {
      command: 'rebase 20261201120000_add_bio',
      does: 'Regenerate that migration on top of the other branch (generate names it)',
    },
    { command: 'rebase 20261201120000_add_bio --dry-run', does: 'Show what would be rolled back, deleted and written' },
    { command: 'rebase 20261201120000_add_bio -m', does: 'Rebase it, then apply pending migrations' },
  ],
  args: {
    migration: {
      type: 'positional',
      required: true,
      description: 'The migration folder to rebase (as generate names it when it finds the conflict)',
    },
    with: {
      type: 'string',
      valueHint: 'migration',
      repeatable: true,
      description: 'Another migration to rebase in the same run (merges of three or more branches)',
    },
    repo: { type: 'string', valueHint: 'name', description: 'The repo of the migration (when several have it)' },
    name: {
      type: 'string',
      valueHint: 'name',
      description: 'Folder suffix of the new migration (default: the old one)',
    },
    migrate: { type: 'boolean', alias: 'm', description: 'Apply pending migrations afterwards' },
    'dry-run': { type: 'boolean', description: 'Print what would be rolled back, deleted and written; change nothing' },
    ...schemaDecisionArgs,
    concurrency: databaseArgs.concurrency,
    ...globalArgs,
  },
  async run(args, cli) {
    const concurrency = parseIntegerOption(args.concurrency, '--concurrency')
    const config = await cli.loadConfig()
    const [{ rebase }, { parseRenameFlag }] = await Promise.all([
      import('../../rebase/index.js'),
      import('../../generator/rename-flags.js'),
    ])
    const noRenames = args['no-renames']
    const result = await rebase(config, {
      migrations: [String(args.migration), ...args.with],
      repo: args.repo,
      name: args.name,
      migrate: args.migrate,
      dryRun: args['dry-run'],
      renames: [
        ...args.rename.map((value) => parseRenameFlag(value, 'column')),
        ...args['rename-table'].map((value) => parseRenameFlag(value, 'table')),
      ],
      noRenames,
      dontDropColumns: args['dont-drop-columns'],
      concurrency,
      resolveAmbiguity: cli.interactive && !noRenames ? (ambiguity) => askRenameDecision(ambiguity, cli) : undefined,
      onEvent: progress(cli.printer),
    })
    cli.printer.endProgress()
    printRebaseResult(result, config, cli.printer)
    cli.printer.printJson({
      ok: result.ok,
      dryRun: result.dryRun,
      repo: result.repo,
      migrations: result.migrations,
      rollbacks: result.rollbacks,
      removed: result.removed,
      migration: result.generated?.repos[0]?.migration ?? null,
      files: (result.generated?.files ?? []).map((file) => (result.dryRun ? file : { path: file.path })),
    })
    return result.ok ? 0 : 1
  },
})

export default command

function progress(printer: Printer): (event: RegenEvent) => void {
  const rollback = migratorProgress(printer)
  const migrate = migratorProgress(printer)
  return (tagged) => {
    if (tagged.step === 'rollback') rollback(tagged.event)
    else if (tagged.step === 'migrate') migrate(tagged.event)
    else if (tagged.event.type === 'recovered' && tagged.event.outcome === 'completed') {
      printer.warn(
        'Finished an earlier generate run that was interrupted after it committed: its files are now in place.',
      )
    }
  }
}

function printRebaseResult(result: RebaseResult, config: ResolvedConfig, printer: Printer): void {
  if (printer.json) return
  const { bold, green, red, yellow } = printer.colors
  const path = (absolute: string) => relative(config.cwd, absolute)
  if (result.dryRun) {
    printColumns(
      printer,
      result.rollbacks.map((plan) => [yellow('would roll back'), databaseLabel(plan), plan.migrations.join(', ')]),
    )
  } else if (result.rollback !== null) {
    printRunResult(result.rollback, printer)
  }
  if (result.generated === null) {
    printer.error('A rollback failed: nothing was deleted or generated. Fix the cause and run rebase again.')
    return
  }
  const deleted = result.dryRun ? yellow('would delete') : red('deleted')
  for (const removed of result.removed) printer.line(`${deleted} ${path(removed)}`)
  const written = result.dryRun ? yellow('would write') : green('created')
  for (const file of result.generated.files) printer.line(`${written} ${path(file.path)}`)
  for (const repo of result.generated.repos) {
    for (const warning of repo.warnings) printer.warn(`${repo.repo}: ${warning.message}`)
  }
  const rolledBack = result.rollbacks.reduce((total, plan) => total + plan.migrations.length, 0)
  const what = `${result.migrations.join(', ')}: rolled back ${plural(rolledBack, 'migration')}, wrote ${plural(result.generated.files.length, 'file')}`
  printer.line(bold(result.dryRun ? `Dry run (nothing was changed): ${what}` : `Rebased ${what}.`))
  if (result.migrate !== null) printRunResult(result.migrate, printer)
}
