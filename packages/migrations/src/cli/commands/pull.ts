import { join, relative } from 'node:path'
import { DEFAULT_MIGRATIONS_DIR, DEFAULT_SNAPSHOTS_DIR } from '../../config/define-config.js'
import type { ResolvedConfig } from '../../config/resolved-config.js'
import { UsageError } from '../../errors.js'
import type { PullLayout, PullResult } from '../../pull/pull.js'
import { globalArgs } from '../args.js'
import { type CliCommand, defineCliCommand } from '../command.js'
import { plural } from '../report.js'

const command: CliCommand = defineCliCommand({
  meta: {
    name: 'pull',
    description: 'Adopt an existing database: write resources, snapshots and a baseline migration recorded as applied',
  },
  examples: [
    {
      command: 'pull --repo main --url file:app.db',
      does: 'Resources, snapshots and a baseline for an existing database',
    },
    {
      command: 'pull --repo main --from-drizzle src/schema.ts --drizzle-out drizzle',
      does: 'Adopt a drizzle-kit project: its migrations become one baseline',
    },
    { command: 'pull --repo main --url file:app.db --dry-run', does: 'List the files and warnings; write nothing' },
  ],
  args: {
    repo: { type: 'string', valueHint: 'name', description: 'Repo the database becomes (required)' },
    url: { type: 'string', valueHint: 'url', description: "Database to read (default: the repo's url in the config)" },
    'auth-token': { type: 'string', valueHint: 'token', description: 'Auth token of a remote database' },
    'from-drizzle': {
      type: 'string',
      valueHint: 'schema',
      description: 'A drizzle-kit schema module; its migrations folder comes from drizzle.config (or --drizzle-out)',
    },
    'drizzle-out': {
      type: 'string',
      valueHint: 'dir',
      description: "drizzle-kit's migrations folder (with --from-drizzle)",
    },
    out: {
      type: 'string',
      valueHint: 'file',
      description: 'Resources module to write (default: src/<repo>-resources.ts)',
    },
    name: { type: 'string', valueHint: 'name', description: 'Baseline migration name (default: baseline)' },
    'dry-run': { type: 'boolean', description: 'Print what would be written; write and record nothing' },
    ...globalArgs,
  },
  async run(args, cli) {
    if (args.repo === undefined) throw new UsageError('pull needs --repo NAME (the repo the database becomes)')
    const config = await cli.loadConfigIfAny()
    const layout: PullLayout = config ?? {
      cwd: cli.cwd,
      migrationsDir: join(cli.cwd, DEFAULT_MIGRATIONS_DIR),
      snapshotsDir: join(cli.cwd, DEFAULT_SNAPSHOTS_DIR),
    }
    const dryRun = args['dry-run']
    let result: PullResult
    if (args['from-drizzle'] !== undefined) {
      const { pullFromDrizzle } = await import('../../pull/from-drizzle.js')
      result = await pullFromDrizzle(layout, {
        repo: args.repo,
        schema: args['from-drizzle'],
        drizzleOut: args['drizzle-out'],
        url: args.url,
        authToken: args['auth-token'],
        databases: await configuredDatabases(config, args.repo),
        out: args.out,
        name: args.name,
        dryRun,
      })
    } else {
      const url = args.url ?? configuredUrl(config, args.repo)
      const { pull } = await import('../../pull/pull.js')
      result = await pull(layout, {
        repo: args.repo,
        url,
        authToken: args['auth-token'],
        out: args.out,
        name: args.name,
        dryRun,
      })
    }
    const { green, bold } = cli.printer.colors
    for (const file of result.files)
      cli.printer.line(`${dryRun ? 'would write' : green('created')} ${relative(layout.cwd, file.path)}`)
    for (const warning of result.warnings) cli.printer.warn(warning.message)
    const recorded = result.recordedOn.length > 0 ? `; recorded as applied on ${result.recordedOn.join(', ')}` : ''
    cli.printer.line(
      bold(
        `Pulled ${plural(result.tables.length, 'table')} into repo ${result.repo}; baseline ${result.baseline}${recorded}.`,
      ),
    )
    if (!dryRun && config === null)
      cli.printer.line(`Add the domain of ${relative(layout.cwd, result.module)} to ash-sqlite.config.ts to manage it.`)
    cli.printer.printJson({
      ok: true,
      repo: result.repo,
      tables: result.tables,
      leftOut: result.leftOut,
      warnings: result.warnings,
      module: result.module,
      baseline: result.baseline,
      recordedOn: result.recordedOn,
      files: result.files.map((file) => file.path),
    })
    return 0
  },
})

export default command

function configuredUrl(config: ResolvedConfig | null, repo: string): string {
  const definition = config?.repos.find((candidate) => candidate.name === repo)?.repo
  if (definition?.url !== undefined) return definition.url
  throw new UsageError(`pull --repo ${repo}: give --url URL (the config has no single-database repo ${repo})`)
}

/** The databases the config lists for the repo (every member of a fleet), to record a drizzle baseline on. */
async function configuredDatabases(config: ResolvedConfig | null, repo: string) {
  const definition = config?.repos.find((candidate) => candidate.name === repo)?.repo
  if (definition === undefined) return []
  if (definition.dialect === 'd1')
    throw new UsageError(
      `pull --repo ${repo}: ${repo} is a D1 repo, which pull cannot reach yet. Pull from a copy of the database with --url file:PATH.`,
    )
  if (definition.databases === undefined) return [{ name: repo, url: definition.url, authToken: definition.authToken }]
  return [...(await definition.databases())]
}
