import type { DatabaseTarget, NamespaceAdmin } from '@ash-sqlite/resource'
import type { ResolvedConfig, ResolvedRepo } from '../config/resolved-config.js'
import { D1BindingRequiredError, d1DisplayUrl } from '../d1/errors.js'
import { type AshSqliteError, UsageError } from '../errors.js'
import { type DatabaseLocation, locateDatabase } from './database-url.js'
import { DatabaseError, DatabaseListError } from './errors.js'
import { redactUrl } from './redact-url.js'

/** Which repos and databases a command works on (`--repo`, `--database`). Empty means all. */
export interface DatabaseSelection {
  /** One repo name or several (`--repo` is repeatable). */
  readonly repo?: string | readonly string[] | undefined
  readonly database?: string | undefined
}

/** One database a command will open: a single-database repo, or one member of a fleet. */
export interface ResolvedDatabase {
  readonly repo: ResolvedRepo
  /** The repo name for a single-database repo, the fleet member's name otherwise. */
  readonly name: string
  /** As configured: may carry an auth token, so it is never printed. */
  readonly url: string
  readonly authToken: string | undefined
  /** `url` without auth tokens or userinfo. */
  readonly displayUrl: string
  readonly location: DatabaseLocation
  /** Set when the database is a sqld namespace that `create`/`drop` manage through the admin API. */
  readonly admin?: NamespaceAdmin | undefined
}

/** A database the command cannot even start on (unusable URL, a fleet whose list failed). */
export interface UnresolvedDatabase {
  readonly repo: string
  /** `*` when a fleet's `databases()` failed, so no member is known. */
  readonly database: string
  readonly url: string
  readonly error: AshSqliteError
}

export type DatabaseEntry =
  | { readonly kind: 'database'; readonly database: ResolvedDatabase }
  | { readonly kind: 'unresolved'; readonly unresolved: UnresolvedDatabase }

/** The database name a failed fleet listing is reported under. */
export const allDatabasesOfRepo = '*'

/** The config's repos named by the selection, in config order; unknown names are a UsageError. */
export function selectRepos(config: ResolvedConfig, selected: string | readonly string[] | undefined): ResolvedRepo[] {
  const names = typeof selected === 'string' ? [selected] : selected
  if (names === undefined || names.length === 0) return [...config.repos]
  const known = config.repos.map((repo) => repo.name)
  const unknown = names.filter((name) => !known.includes(name))
  if (unknown.length > 0) {
    throw new UsageError(
      `Unknown repo ${unknown.map((name) => JSON.stringify(name)).join(', ')} (--repo). Repos in this config: ${listOrNone(known)}.`,
    )
  }
  return config.repos.filter((repo) => names.includes(repo.name))
}

/**
 * Every database of the selected repos (fleets listed through `databases()`), filtered by `--database`.
 * A fleet whose listing fails becomes one unresolved entry instead of failing the whole command.
 */
export async function resolveDatabases(
  config: ResolvedConfig,
  selection: DatabaseSelection = {},
): Promise<DatabaseEntry[]> {
  const repos = selectRepos(config, selection.repo)
  const listed = await Promise.all(repos.map((repo) => databasesOfRepo(config, repo)))
  const entries = listed.flat()
  return filterByDatabaseName(entries, selection.database)
}

async function databasesOfRepo(config: ResolvedConfig, repo: ResolvedRepo): Promise<DatabaseEntry[]> {
  const definition = repo.repo
  if (definition.dialect === 'd1') {
    // No URL to open: D1 is reached through a binding (see src/d1), so a run over every repo reports it.
    const error = new D1BindingRequiredError(repo.name, definition.binding)
    return [
      {
        kind: 'unresolved',
        unresolved: { repo: repo.name, database: repo.name, url: d1DisplayUrl(definition.binding), error },
      },
    ]
  }
  if (definition.databases === undefined) {
    return [entryFor(config, repo, { name: repo.name, url: definition.url, authToken: definition.authToken })]
  }
  let targets: DatabaseTarget[]
  try {
    targets = await definition.databases()
    checkFleetList(repo.name, targets)
  } catch (error) {
    return [{ kind: 'unresolved', unresolved: fleetListFailure(repo.name, error) }]
  }
  return targets.map((target) => entryFor(config, repo, target))
}

function entryFor(config: ResolvedConfig, repo: ResolvedRepo, target: DatabaseTarget): DatabaseEntry {
  const displayUrl = redactUrl(target.url)
  try {
    checkAuthToken(target)
    const location = locateDatabase(target.url, config.cwd)
    const database: ResolvedDatabase = {
      repo,
      name: target.name,
      url: target.url,
      authToken: target.authToken,
      displayUrl,
      location,
      ...(target.admin === undefined ? {} : { admin: target.admin }),
    }
    return { kind: 'database', database }
  } catch (error) {
    const unresolved = { repo: repo.name, database: target.name, url: displayUrl, error: error as AshSqliteError }
    return { kind: 'unresolved', unresolved }
  }
}

function checkFleetList(repo: string, targets: unknown): asserts targets is DatabaseTarget[] {
  if (!Array.isArray(targets)) {
    throw new DatabaseListError(repo, `databases() of repo ${repo} must return an array of { name, url }.`)
  }
  const seen = new Set<string>()
  targets.forEach((target: Partial<DatabaseTarget> | null, index) => {
    if (typeof target?.name !== 'string' || target.name === '' || typeof target.url !== 'string') {
      throw new DatabaseListError(
        repo,
        `databases() of repo ${repo}: entry ${index} needs a non-empty string name and a string url.`,
      )
    }
    // Checked here because databases() runs at migrate time, past defineRepo's checks; never shown.
    if (target.authToken !== undefined && (typeof target.authToken !== 'string' || target.authToken === '')) {
      throw new DatabaseListError(
        repo,
        `databases() of repo ${repo}: entry ${index} (${target.name}) has an authToken that is not a non-empty string (its value is not shown: it may be a secret). Give the token itself, as a string.`,
      )
    }
    if (target.admin !== undefined) checkAdmin(repo, index, target.admin)
    if (seen.has(target.name)) {
      throw new DatabaseListError(
        repo,
        `databases() of repo ${repo} lists ${JSON.stringify(target.name)} twice: names must be unique.`,
      )
    }
    seen.add(target.name)
  })
}

/** A token that is not a string would be neither used nor redacted: refuse it, without showing it. */
function checkAuthToken(target: DatabaseTarget): void {
  const token: unknown = target.authToken
  if (token === undefined || (typeof token === 'string' && token !== '')) return
  throw new DatabaseError(
    `The authToken of database ${target.name} is not a non-empty string (its value is not shown: it may be a secret). Give the token itself, as a string.`,
  )
}

const namespaceNamePattern = /^[A-Za-z0-9_-]+$/

/** `databases()` lists are not checked by defineRepo (they are computed at run time), so `admin` is checked here. */
function checkAdmin(repo: string, index: number, admin: unknown): void {
  const candidate = admin as Partial<NamespaceAdmin> | null
  const validUrl = typeof candidate?.url === 'string' && /^https?:\/\/[^/?#]+\/?$/i.test(candidate.url)
  const validNamespace = typeof candidate?.namespace === 'string' && namespaceNamePattern.test(candidate.namespace)
  const validToken = candidate?.authToken === undefined || typeof candidate.authToken === 'string'
  if (!validUrl || !validNamespace || !validToken) {
    throw new DatabaseListError(
      repo,
      `databases() of repo ${repo}: entry ${index} has an invalid admin: give { url: 'http://host:port' (sqld's admin API), namespace: letters, digits, '-' or '_', authToken?: string }.`,
    )
  }
}

function fleetListFailure(repo: string, error: unknown): UnresolvedDatabase {
  const listError =
    error instanceof DatabaseListError
      ? error
      : new DatabaseListError(repo, `databases() of repo ${repo} failed: ${messageOf(error)}`, { cause: error })
  return { repo, database: allDatabasesOfRepo, url: '', error: listError }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

function filterByDatabaseName(entries: DatabaseEntry[], name: string | undefined): DatabaseEntry[] {
  if (name === undefined) return entries
  const matching = entries.filter((entry) => nameOf(entry) === name)
  if (matching.length > 0) return matching
  const failedListings = entries.filter((entry) => nameOf(entry) === allDatabasesOfRepo)
  // The database may be in a fleet whose list failed: report those failures rather than a usage error.
  if (failedListings.length > 0) return failedListings
  const known = entries.map(nameOf)
  throw new UsageError(
    `Unknown database ${JSON.stringify(name)} (--database). Databases of the selected repos: ${listOrNone(known)}.`,
  )
}

function nameOf(entry: DatabaseEntry): string {
  return entry.kind === 'database' ? entry.database.name : entry.unresolved.database
}

function listOrNone(names: readonly string[]): string {
  return names.length === 0 ? '(none)' : names.join(', ')
}
