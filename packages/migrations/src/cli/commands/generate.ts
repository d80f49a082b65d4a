import { relative } from 'node:path'
import type { ResolvedConfig } from '../../config/resolved-config.js'
import { UsageError } from '../../errors.js'
import type { GenerateResult } from '../../generator/types.js'
import { globalArgs, migrationName, migrationNameArgs, repoArg, schemaDecisionArgs } from '../args.js'
import { type CliCommand, defineCliCommand } from '../command.js'
import type { Printer } from '../output.js'
import { askRenameDecision } from '../prompts.js'
import { plural } from '../report.js'

const command: CliCommand = defineCliCommand({
  meta: {
    name: 'generate',
    description: 'Write resource snapshots and a reversible migration for every repo that changed',
  },
  examples: [
    { command: 'generate', does: 'Write a migration for every repo whose resources changed' },
    { command: 'generate add_age', does: 'Name the migration folder (<timestamp>_add_age)' },
    { command: 'generate --check', does: 'CI: exit 1 when the resources have changes no migration covers' },
    { command: 'generate --dry-run --repo main', does: 'Print the SQL that would be written for repo main' },
    {
      command: 'generate --rename users.name=full_name',
      does: 'Column users.name was renamed to full_name (no prompt)',
    },
    { command: 'generate --rename-table people=users', does: 'Table people was renamed to users' },
  ],
  args: {
    ...migrationNameArgs,
    check: { type: 'boolean', description: 'Write nothing; exit 1 if anything would be generated (CI)' },
    custom: {
      type: 'boolean',
      description: 'Write an empty migration (up and down) named MIGRATION_NAME for hand-written SQL',
    },
    'dry-run': { type: 'boolean', description: 'Print every file that would be written, with its SQL; write nothing' },
    repo: repoArg,
    ...schemaDecisionArgs,
    ...globalArgs,
  },
  async run(args, cli) {
    const name = migrationName(args.migration_name, args.name)
    const config = await cli.loadConfig()
    if (args.custom) return writeCustomMigration(config, name, args, cli.printer)
    // The two modules, not the generator's index: that would also load regen, which a generate never uses.
    const [{ generate }, { parseRenameFlag }] = await Promise.all([
      import('../../generator/generate.js'),
      import('../../generator/rename-flags.js'),
    ])
    const renameFlags = [
      ...args.rename.map((value) => parseRenameFlag(value, 'column')),
      ...args['rename-table'].map((value) => parseRenameFlag(value, 'table')),
    ]
    const noRenames = args['no-renames']
    const result = await generate(config, {
      name,
      repo: args.repo.length > 0 ? args.repo : undefined,
      renames: renameFlags,
      noRenames,
      dontDropColumns: args['dont-drop-columns'],
      check: args.check,
      dryRun: args['dry-run'],
      resolveAmbiguity: cli.interactive && !noRenames ? (ambiguity) => askRenameDecision(ambiguity, cli) : undefined,
      onEvent: (event) => {
        if (event.type === 'repo_changed')
          cli.printer.progress(`${event.repo}: diffing ${plural(event.tables.length, 'table')}`)
        if (event.type === 'recovered' && event.outcome === 'completed') {
          cli.printer.warn(
            'Finished an earlier generate run that was interrupted after it committed: its files are now in place (see git status).',
          )
        }
      },
    })
    cli.printer.endProgress()
    const mode = args.check ? 'check' : args['dry-run'] ? 'dry-run' : 'write'
    printGenerateResult(result, config, mode, cli.printer)
    cli.printer.printJson(toJson(result, mode))
    return args.check && result.changed ? 1 : 0
  },
})

export default command

type Mode = 'write' | 'check' | 'dry-run'

async function writeCustomMigration(
  config: ResolvedConfig,
  name: string | undefined,
  args: { repo: string[]; 'dry-run': boolean },
  printer: Printer,
): Promise<number> {
  if (name === undefined) throw new UsageError('generate --custom needs a name: ash-sqlite generate --custom NAME')
  if (args.repo.length > 1) throw new UsageError('generate --custom writes one migration: give at most one --repo')
  const { generateCustomMigration } = await import('../../generator/custom-migration.js')
  const dryRun = args['dry-run']
  const result = await generateCustomMigration(config, { name, repo: args.repo[0], dryRun })
  for (const file of result.files)
    printer.line(`${dryRun ? 'would write' : printer.colors.green('created')} ${relative(config.cwd, file.path)}`)
  printer.line(printer.colors.bold(`Write your SQL in ${result.folder}/migration.sql (and its undo in down.sql).`))
  printer.printJson({
    ok: true,
    changed: true,
    mode: dryRun ? 'dry-run' : 'write',
    repos: [{ repo: result.repo, migration: { folder: result.folder } }],
    files: result.files.map((file) => ({ path: file.path })),
  })
  return 0
}

function printGenerateResult(result: GenerateResult, config: ResolvedConfig, mode: Mode, printer: Printer): void {
  const { bold, dim, green, yellow } = printer.colors
  if (!result.changed) {
    printer.line('No changes')
    return
  }
  const verb = mode === 'write' ? green('created') : yellow('would write')
  for (const file of result.files) {
    printer.line(`${verb} ${relative(config.cwd, file.path)}`)
    if (mode === 'dry-run' && file.path.endsWith('.sql')) printer.line(dim(indent(file.contents)))
  }
  for (const repo of result.repos) {
    for (const warning of repo.warnings) printer.warn(`${repo.repo}: ${warning.message}`)
  }
  const count = plural(result.files.length, 'file')
  if (mode === 'write') printer.line(bold(`Wrote ${count}.`))
  else if (mode === 'check') printer.line(bold(`Pending changes: ${count} would be written. Run ash-sqlite generate.`))
  else printer.line(bold(`Dry run: ${count} would be written, nothing was.`))
}

function indent(text: string): string {
  return text
    .trimEnd()
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n')
}

function toJson(result: GenerateResult, mode: Mode) {
  return {
    ok: true,
    changed: result.changed,
    mode,
    repos: result.repos.map((repo) => ({
      repo: repo.repo,
      migration: repo.migration,
      snapshotFiles: repo.snapshotFiles,
      changedTables: repo.changedTables,
      warnings: repo.warnings,
    })),
    files: result.files.map((file) => (mode === 'dry-run' ? file : { path: file.path })),
  }
}
