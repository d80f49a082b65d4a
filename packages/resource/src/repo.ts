/**
 * Repos: the databases resources live in. A repo is either one database (`url`) or a fleet of databases
 * sharing one schema (`databases`), as in per-tenant SQLite files or libSQL namespaces.
 */

/** One concrete database a repo stands for. */
export interface DatabaseTarget {
  /** A short name, unique within the repo (used by `--database` and in reports). */
  name: string
  /** A libSQL URL: `file:...`, `libsql://`, `http(s)://`, `ws(s)://`. */
  url: string
  /** Auth token for remote URLs. Never printed. */
  authToken?: string | undefined
  /**
   * The database is a namespace of a libSQL server (`sqld --enable-namespaces`): `create` and `drop`
   * create and delete it through the server's admin API. Without it, remote databases are not created or
   * dropped by ash-sqlite.
   */
  admin?: NamespaceAdmin | undefined
}

/** Where a namespace database is managed: sqld's admin API (`--admin-listen-addr`). */
export interface NamespaceAdmin {
  /** Base URL of the admin API, e.g. `http://127.0.0.1:9090` (no path). */
  url: string
  /** The namespace's name: letters, digits, `-` and `_`. */
  namespace: string
  /** sqld's `--admin-auth-key`, sent as `Authorization: Basic <key>`. Never printed. */
  authToken?: string | undefined
}

interface RepoBase<Name extends string> {
  readonly kind: 'repo'
  readonly name: Name
}

export interface SingleDatabaseRepo<Name extends string = string> extends RepoBase<Name> {
  readonly dialect?: undefined
  readonly url: string
  readonly authToken?: string | undefined
  readonly databases?: undefined
}

export interface FleetRepo<Name extends string = string> extends RepoBase<Name> {
  readonly dialect?: undefined
  readonly url?: undefined
  readonly databases: () => Promise<DatabaseTarget[]> | DatabaseTarget[]
}

/**
 * A Cloudflare D1 database. It has no URL: the migrator is handed its binding (`env.DB` inside a Worker),
 * or opens the local state `wrangler dev` uses (`--local`), found by `binding`, `databaseId` and `persistTo`.
 */
export interface D1Repo<Name extends string = string> extends RepoBase<Name> {
  readonly dialect: 'd1'
  /** The binding name of the database in the wrangler config (`binding = "DB"`). */
  readonly binding: string
  /**
   * The key wrangler gives the database's local state: `preview_database_id`, else `database_id` of the
   * wrangler config. Default: the binding name (what a wrangler config without ids uses).
   */
  readonly databaseId?: string | undefined
  /** wrangler's `--persist-to` directory, relative to the config file. Default `.wrangler/state`. */
  readonly persistTo?: string | undefined
  readonly url?: undefined
  readonly databases?: undefined
}

export type Repo<Name extends string = string> = SingleDatabaseRepo<Name> | FleetRepo<Name> | D1Repo<Name>
