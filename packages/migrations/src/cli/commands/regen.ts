import { relative } from 'node:path'
import type { ResolvedConfig } from '../../config/resolved-config.js'
import type { MigrationRunResult } from '../../migrator/types.js'
import type { RegenEvent, RegenResult } from '../../regen/types.js'
import { databaseArgs, globalArgs, migrationName, migrationNameArgs, repoArg, schemaDecisionArgs } from '../args.js'
import { type CliCommand, defineCliCommand } from '../command.js'
import type { Printer } from '../output.js'
import { parseIntegerOption } from '../parse-args.js'
import { askRenameDecision } from '../prompts.js'
import { databaseLabel, errorJson, plural, printColumns } from '../report.js'
import { migratorProgress, printRunResult } from '../run-report.js'

const command: CliCommand = defineCliCommand({
  meta: {
    name: 'regen',
    description: 'Roll back, delete and regenerate the migrations and snapshots git does not track yet',
  },
  examples: [
    { command: 'regen', does: 'Regenerate the migrations git does not track yet as one migration' },
    { command: 'regen add_profiles -m', does: 'Name it, then apply it' },
    { command: 'regen --dry-run', does: 'Show what would be rolled back, deleted and written' },
  ],
  args: {
    ...migrationNameArgs,
    migrate: { type: 'boolean', alias: 'm', description: 'Apply pending migrations afterwards' },
    'dry-run': {
      type: 'boolean',
      description: 'Print what would be rolled back, deleted and written; change nothing',
    },
    repo: repoArg,
    ...schemaDecisionArgs,
    concurrency: databaseArgs.concurrency,
    ...globalArgs,
  },
  async run(args, cli) {
    const name = migrationName(args.migration_name, args.name)
    const concurrency = parseIntegerOption(args.concurrency, '--concurrency')
    const config = await cli.loadConfig()
    const [{ regen }, { parseRenameFlag }] = await Promise.all([
      import('../../regen/index.js'),
      import('../../generator/index.js'),
    ])
    const noRenames = args['no-renames']
    const dryRun = args['dry-run']
    const result = await regen(config, {
      name,
      repo: args.repo.length > 0 ? args.repo : undefined,
      migrate: args.migrate,
      dryRun,
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
    printRegenResult(result, config, cli.printer, { migrateAfter: args.migrate })
    cli.printer.printJson(toJson(result))
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
    } else if (tagged.event.type === 'repo_changed') {
      printer.progress(`${tagged.event.repo}: diffing ${plural(tagged.event.tables.length, 'table')}`)
    }
  }
}

function printRegenResult(
  result: RegenResult,
  config: ResolvedConfig,
  printer: Printer,
  options: { migrateAfter: boolean },
): void {
  if (printer.json) return
  const { bold, dim, green, red, yellow } = printer.colors
  const path = (absolute: string) => relative(config.cwd, absolute)
  const untracked = result.repos.filter((repo) => repo.migrations.length > 0 || repo.snapshotFiles.length > 0)
  if (untracked.length === 0) printer.line('Nothing untracked by git: generating as ash-sqlite generate does.')

  if (result.dryRun) {
    const rows = result.repos.flatMap((repo) =>
      repo.rollbacks.map((plan) => [yellow('would roll back'), databaseLabel(plan), plan.migrations.join(', ')]),
    )
    printColumns(printer, rows)
  } else if (result.rollback !== null) {
    printRunResult(result.rollback, printer)
  }
  if (result.generated === null) {
    printer.error('A rollback failed: nothing was deleted or generated. Fix the cause and run regen again.')
    return
  }

  const deleted = result.dryRun ? yellow('would delete') : red('deleted')
  for (const removed of result.removed) printer.line(`${deleted} ${path(removed)}`)
  const written = result.dryRun ? yellow('would write') : green('created')
  for (const file of result.generated.files) {
    printer.line(`${written} ${path(file.path)}`)
    if (result.dryRun && file.path.endsWith('.sql')) printer.line(dim(indent(file.contents)))
  }
  for (const repo of result.generated.repos) {
    for (const warning of repo.warnings) printer.warn(`${repo.repo}: ${warning.message}`)
  }
  if (!result.generated.changed) printer.line('No changes to generate.')

  const summary =
    untracked.length === 0 && !result.generated.changed
      ? undefined
      : summaryOf(result, result.dryRun ? 'planned' : 'done')
  if (result.dryRun) {
    if (summary !== undefined) printer.line(bold(`Dry run: would ${summary}; nothing was changed.`))
    if (options.migrateAfter) printer.line('Then ash-sqlite migrate would run.')
    return
  }
  if (summary !== undefined) printer.line(bold(`Regenerated: ${summary}.`))
  if (result.migrate !== null) printRunResult(result.migrate, printer)
}

/** "rolled back 1 migration, deleted 2 migrations and 3 snapshot files, wrote 4 files". */
function summaryOf(result: RegenResult, tense: 'planned' | 'done'): string {
  const [rollBack, remove, write] =
    tense === 'done' ? ['rolled back', 'deleted', 'wrote'] : ['roll back', 'delete', 'write']
  const sum = (count: (repo: RegenResult['repos'][number]) => number) =>
    result.repos.reduce((total, repo) => total + count(repo), 0)
  const rolledBack = sum((repo) => repo.rollbacks.reduce((total, plan) => total + plan.migrations.length, 0))
  const migrations = sum((repo) => repo.migrations.length)
  const snapshots = sum((repo) => repo.snapshotFiles.length)
  const written = result.generated?.files.length ?? 0
  const removed = `${plural(migrations, 'migration')} and ${plural(snapshots, 'snapshot file')}`
  return `${rollBack} ${plural(rolledBack, 'migration')}, ${remove} ${removed}, ${write} ${plural(written, 'file')}`
}

function indent(text: string): string {
  return text
    .trimEnd()
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n')
}

function toJson(result: RegenResult) {
  return {
    ok: result.ok,
    dryRun: result.dryRun,
    repos: result.repos.map((repo) => ({
      repo: repo.repo,
      untrackedMigrations: repo.migrations,
      untrackedSnapshotFiles: repo.snapshotFiles,
      rollbacks: repo.rollbacks.map((plan) => ({
        database: plan.database,
        url: plan.url,
        migrations: plan.migrations,
        to: plan.to,
      })),
      migration: result.generated?.repos.find((generated) => generated.repo === repo.repo)?.migration ?? null,
      warnings: result.generated?.repos.find((generated) => generated.repo === repo.repo)?.warnings ?? [],
    })),
    rollback: runJson(result.rollback),
    removed: result.removed,
    files: (result.generated?.files ?? []).map((file) => (result.dryRun ? file : { path: file.path })),
    migrate: runJson(result.migrate),
  }
}

function runJson(run: MigrationRunResult | null) {
  if (run === null) return null
  return {
    ok: run.ok,
    databases: run.databases.map((database) => ({
      repo: database.repo,
      database: database.database,
      url: database.url,
      results: database.results.map((migration) => ({
        migrationName: migration.migrationName,
        status: migration.status,
        error: errorJson(migration.error),
      })),
      warnings: database.warnings,
      error: errorJson(database.error),
    })),
  }
}
