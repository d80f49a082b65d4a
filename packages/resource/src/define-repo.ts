/**
 * `defineRepo`: a database (`url`) or a fleet of databases sharing one schema (`databases`).
 */
import { describeValue } from './attribute-types.js'
import { DefinitionCheck } from './definition-check.js'
import type { D1Repo, DatabaseTarget, FleetRepo, NamespaceAdmin, Repo, SingleDatabaseRepo } from './repo.js'

export interface SingleDatabaseRepoConfig<Name extends string> {
  name: Name
  /** A libSQL URL: `file:...`, `libsql://`, `http(s)://`, `ws(s)://`. */
  url: string
  authToken?: string | undefined
}

export interface FleetRepoConfig<Name extends string> {
  name: Name
  /** The databases, or a function listing them (called whenever migrations run, so new tenants are found). */
  databases: DatabaseTarget[] | (() => Promise<DatabaseTarget[]> | DatabaseTarget[])
}

export interface D1RepoConfig<Name extends string> {
  name: Name
  /** A Cloudflare D1 database: migrations are written in a form D1 runs, and applied through its binding. */
  dialect: 'd1'
  /** The binding name in the wrangler config (`binding = "DB"`). */
  binding: string
  /** `preview_database_id` (else `database_id`) of the wrangler config: the key of wrangler dev's local state. */
  databaseId?: string | undefined
  /** wrangler's `--persist-to` directory, relative to the config file. Default `.wrangler/state`. */
  persistTo?: string | undefined
}

/** Repo names name directories and appear in commands, so they are kept to a safe alphabet. */
const REPO_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/
/** sqld accepts these namespace names, and they are safe in an admin API path. */
const NAMESPACE_NAME = /^[A-Za-z0-9_-]+$/

export function defineRepo<const Name extends string>(config: SingleDatabaseRepoConfig<Name>): SingleDatabaseRepo<Name>
export function defineRepo<const Name extends string>(config: FleetRepoConfig<Name>): FleetRepo<Name>
export function defineRepo<const Name extends string>(config: D1RepoConfig<Name>): D1Repo<Name>
export function defineRepo(
  config: SingleDatabaseRepoConfig<string> | FleetRepoConfig<string> | D1RepoConfig<string>,
): Repo {
  const outer: DefinitionCheck = new DefinitionCheck('(unnamed repo)')
  const raw = outer.object(config, 'config', 'a repo definition')
  if (typeof raw.name !== 'string' || !REPO_NAME.test(raw.name)) {
    outer.fail(
      'invalid_option',
      'name',
      `repo name ${describeValue(raw.name)} is not a valid name`,
      'Use letters, digits, "_" and "-", starting with a letter or "_" (e.g. "main")',
    )
  }
  const name = raw.name
  const check: DefinitionCheck = new DefinitionCheck(name)
  if (raw.dialect !== undefined) return d1Repo(check, name, raw)
  check.knownKeys(raw, ['name', 'url', 'authToken', 'databases', 'dialect'], undefined)
  const hasUrl = raw.url !== undefined
  const hasDatabases = raw.databases !== undefined
  if (hasUrl === hasDatabases) {
    check.fail(
      'invalid_option',
      undefined,
      hasUrl ? 'has both url and databases' : 'has neither url nor databases',
      'Give one database as url: "file:data/main.db", or a fleet as databases: [{ name, url }] or () => [...]',
    )
  }
  if (hasUrl) {
    const url = check.nonEmptyString(raw.url, 'url', 'database URL')
    const authToken = check.optionalSecret(raw.authToken, 'authToken', 'auth token')
    return Object.freeze({ kind: 'repo' as const, name, url, ...(authToken === null ? {} : { authToken }) })
  }
  if (raw.authToken !== undefined) {
    check.fail(
      'invalid_option',
      'authToken',
      'is set on a fleet repo',
      'Give each database in databases its own authToken',
    )
  }
  const databases = raw.databases
  if (typeof databases === 'function') {
    return Object.freeze({ kind: 'repo' as const, name, databases: databases as FleetRepo['databases'] })
  }
  const targets = check
    .array(databases, 'databases', 'databases')
    .map((target, index) => databaseTarget(check, target, index))
  const names = new Set<string>()
  for (const target of targets) {
    if (names.has(target.name)) {
      check.fail(
        'invalid_option',
        'databases',
        `names database "${target.name}" twice`,
        'Give every database a unique name',
      )
    }
    names.add(target.name)
  }
  const frozen = Object.freeze(targets.map((target) => Object.freeze(target)))
  return Object.freeze({ kind: 'repo' as const, name, databases: () => [...frozen] })
}

/** Binding names are JavaScript identifiers (`env.DB`). */
const BINDING_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/

function d1Repo(check: DefinitionCheck, name: string, raw: Record<string, unknown>): D1Repo {
  const dialect = check.oneOf(raw.dialect, ['d1'], 'dialect', 'dialect')
  for (const key of ['url', 'authToken', 'databases'] as const) {
    if (raw[key] !== undefined) {
      check.fail(
        'invalid_option',
        key,
        'is set on a D1 repo',
        'A D1 database is reached through its binding: give binding: "DB" (and databaseId / persistTo for the local state), not a URL',
      )
    }
  }
  check.knownKeys(raw, ['name', 'dialect', 'binding', 'databaseId', 'persistTo'], undefined)
  const binding = check.nonEmptyString(raw.binding, 'binding', 'D1 binding name')
  if (!BINDING_NAME.test(binding)) {
    check.fail(
      'invalid_option',
      'binding',
      `binding name ${describeValue(binding)} is not an identifier`,
      'Use the binding name of the wrangler config, e.g. "DB"',
    )
  }
  const databaseId = check.optionalString(raw.databaseId, 'databaseId', 'D1 database id')
  const persistTo = check.optionalString(raw.persistTo, 'persistTo', 'local state directory')
  return Object.freeze({
    kind: 'repo' as const,
    name,
    dialect,
    binding,
    ...(databaseId === null ? {} : { databaseId }),
    ...(persistTo === null ? {} : { persistTo }),
  })
}

/** True for a repo whose database is Cloudflare D1. */
export function isD1Repo(repo: Repo): repo is D1Repo {
  return repo.dialect === 'd1'
}

function databaseTarget(check: DefinitionCheck, value: unknown, index: number): DatabaseTarget {
  const path = `databases[${index}]`
  const target = check.object(value, path, 'a database ({ name, url })')
  check.knownKeys(target, ['name', 'url', 'authToken', 'admin'], path)
  const name = check.nonEmptyString(target.name, `${path}.name`, 'database name')
  const url = check.nonEmptyString(target.url, `${path}.url`, 'database URL')
  const authToken = check.optionalSecret(target.authToken, `${path}.authToken`, 'auth token')
  const admin = target.admin === undefined ? null : namespaceAdmin(check, target.admin, `${path}.admin`)
  return {
    name,
    url,
    ...(authToken === null ? {} : { authToken }),
    ...(admin === null ? {} : { admin }),
  }
}

function namespaceAdmin(check: DefinitionCheck, value: unknown, path: string): NamespaceAdmin {
  const admin = check.object(value, path, 'a namespace admin ({ url, namespace, authToken? })')
  check.knownKeys(admin, ['url', 'namespace', 'authToken'], path)
  const url = check.nonEmptyString(admin.url, `${path}.url`, 'admin API URL')
  if (!/^https?:\/\/[^/?#]+\/?$/i.test(url)) {
    check.fail(
      'invalid_option',
      `${path}.url`,
      // The value is not echoed: it may carry a key.
      'admin API URL is not an http(s) base URL (scheme, host and port only)',
      'Give the address of sqld\'s --admin-listen-addr, e.g. "http://127.0.0.1:9090"',
    )
  }
  const namespace = check.nonEmptyString(admin.namespace, `${path}.namespace`, 'namespace name')
  if (!NAMESPACE_NAME.test(namespace)) {
    check.fail(
      'invalid_option',
      `${path}.namespace`,
      `namespace name ${describeValue(namespace)} has characters sqld does not accept`,
      'Use letters, digits, "-" and "_"',
    )
  }
  const authToken = check.optionalSecret(admin.authToken, `${path}.authToken`, 'admin auth key')
  return authToken === null ? { url, namespace } : { url, namespace, authToken }
}

/** Brand check (no instanceof: configs may load a second copy of this module). */
export function isRepo(value: unknown): value is Repo {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { kind?: unknown }).kind === 'repo' &&
    typeof (value as { name?: unknown }).name === 'string'
  )
}
