/**
 * The D1 applier from Node: the repo's folders are read from disk, the binding comes from the caller
 * (`migrate(config, { repo, d1 })`) or from the local state wrangler dev uses (`--local`, local.ts).
 * Loaded lazily by the migrator's public functions, only when a D1 binding or `--local` is in play.
 */
import type { D1Repo } from '@ash-sqlite/resource'
import type { ResolvedConfig, ResolvedRepo } from '../config/resolved-config.js'
import { selectRepos } from '../database/targets.js'
import { UsageError } from '../errors.js'
import { MigrationFilesError } from '../migrator/errors.js'
import { readMigrationFolders } from '../migrator/migration-files.js'
import type { StrategySpec } from '../migrator/strategy.js'
import type { MigrationRunResult, MigratorEvent, StatusRunResult } from '../migrator/types.js'
import type { D1DatabaseLike } from './binding.js'
import { d1DisplayUrl } from './errors.js'
import { withLocalD1 } from './local.js'
import { type D1RunInput, runD1, statusD1 } from './run.js'

/** Where a D1 run gets its database: a binding handed in, or wrangler dev's local state. */
export type D1Source = { readonly d1: D1DatabaseLike } | { readonly local: true }

export interface D1RepoRunOptions {
  readonly repo?: string | readonly string[] | undefined
  readonly onEvent?: ((event: MigratorEvent) => void) | undefined
}

export async function runD1Repo(
  config: ResolvedConfig,
  source: D1Source,
  options: D1RepoRunOptions,
  spec: StrategySpec,
): Promise<MigrationRunResult> {
  const repo = singleD1Repo(config, options.repo)
  return withD1(config, repo, source, async (input) => runD1({ ...input, onEvent: options.onEvent }, spec))
}

export async function statusD1Repo(
  config: ResolvedConfig,
  source: D1Source,
  options: D1RepoRunOptions,
): Promise<StatusRunResult> {
  const repo = singleD1Repo(config, options.repo)
  return withD1(config, repo, source, (input) => statusD1(input))
}

async function withD1<T>(
  config: ResolvedConfig,
  repo: ResolvedRepo & { readonly repo: D1Repo },
  source: D1Source,
  work: (input: Omit<D1RunInput, 'onEvent'>) => Promise<T>,
): Promise<T> {
  let folders: Awaited<ReturnType<typeof readMigrationFolders>>
  try {
    folders = await readMigrationFolders(repo.migrationsDir)
  } catch (cause) {
    throw new MigrationFilesError(repo.name, repo.migrationsDir, { cause })
  }
  const binding = repo.repo.binding
  const base = { folders, migrationsDir: repo.migrationsDir }
  if ('d1' in source) {
    return work({
      ...base,
      target: { repo: repo.name, database: repo.name, url: d1DisplayUrl(binding), d1: source.d1 },
    })
  }
  return withLocalD1(config, repo.repo, (d1) =>
    work({ ...base, target: { repo: repo.name, database: repo.name, url: `${d1DisplayUrl(binding)} (local)`, d1 } }),
  )
}

/** A D1 binding is one database: the run must name exactly one repo, and it must be a D1 repo. */
function singleD1Repo(
  config: ResolvedConfig,
  selected: string | readonly string[] | undefined,
): ResolvedRepo & { readonly repo: D1Repo } {
  const d1Repos = config.repos.filter((repo) => repo.repo.dialect === 'd1')
  const repos = selected === undefined || selected.length === 0 ? d1Repos : selectRepos(config, selected)
  const [repo] = repos
  if (repos.length !== 1 || repo === undefined) {
    const names = d1Repos.map((candidate) => candidate.name).join(', ') || '(none)'
    throw new UsageError(
      `A D1 binding (d1 / --local) is one database: name exactly one D1 repo with repo / --repo (D1 repos in this config: ${names}).`,
    )
  }
  if (repo.repo.dialect !== 'd1') {
    throw new UsageError(
      `Repo ${repo.name} is not a D1 repo: d1 / --local apply only to repos defined with dialect: 'd1'.`,
    )
  }
  return repo as ResolvedRepo & { readonly repo: D1Repo }
}

/** The binding when one was handed in, else the local state. */
export function d1SourceOf(options: { readonly d1?: D1DatabaseLike | undefined }): D1Source {
  return options.d1 === undefined ? { local: true } : { d1: options.d1 }
}
