import type { ConfigInput } from '../config/config-input.js'
import { AshSqliteError } from '../errors.js'
import { status } from './status.js'
import type { DatabaseStatus, StatusOptions, StatusRunResult } from './types.js'

/**
 * Why a database is not "migrated", one entry per database and kind:
 * - `database_missing`: a `file:` database whose file does not exist;
 * - `pending` / `out_of_order`: migrations not applied yet;
 * - `changed`: applied migrations whose migration.sql was edited since;
 * - `missing`: applied migrations whose folder is gone;
 * - `conflict` (or any other state a migration may report): needs a person;
 * - `error`: the database could not be read.
 */
export interface MigrationProblem {
  readonly repo: string
  readonly database: string
  /** Redacted URL. */
  readonly url: string
  readonly kind: string
  /** The migrations concerned (empty for `database_missing` and `error`). */
  readonly migrations: readonly string[]
  /** One line saying what is wrong and what to do. */
  readonly message: string
}

export interface MigrationCheck {
  /** True when every selected database exists, was read, and has every migration applied unchanged. */
  readonly ok: boolean
  readonly problems: readonly MigrationProblem[]
  readonly status: StatusRunResult
}

/** The states `status` reports that a migrated database has none of, and how to fix each. */
const fixes: Readonly<Record<string, string>> = {
  pending: 'run ash-sqlite migrate',
  out_of_order: 'run ash-sqlite migrate (they are older than the newest applied one)',
  changed: 'restore the applied migration.sql files, or migrate with --allow-changed',
  missing: 'restore their folders from version control',
}

/**
 * `status` as a yes/no answer for CI and for boot: what `ash-sqlite status --check` prints and exits 1 on,
 * returned as data. Read-only, like `status`.
 */
export async function checkMigrated(input: ConfigInput, options: StatusOptions = {}): Promise<MigrationCheck> {
  const result = await status(input, options)
  const problems = problemsOf(result)
  return { ok: problems.length === 0, problems, status: result }
}

/**
 * Throws a `NotMigratedError` listing what is pending, changed, missing or unreadable; returns nothing when
 * every database is migrated. Meant for application start-up, so a release that forgot to migrate fails
 * fast instead of serving queries against an old schema:
 *
 *     await assertMigrated(config)
 */
export async function assertMigrated(input: ConfigInput, options: StatusOptions = {}): Promise<void> {
  const check = await checkMigrated(input, options)
  if (!check.ok) throw new NotMigratedError(check.problems)
}

/** Every reason the databases of a status run are not migrated, in the run's database order. */
export function problemsOf(result: StatusRunResult): MigrationProblem[] {
  // A fork that does not commute is the repo's, not a database's: reported once per table, with its rebase.
  const conflicts = (result.conflicts ?? []).map(
    (conflict): MigrationProblem => ({
      repo: conflict.repo,
      database: conflict.repo,
      url: '',
      kind: 'conflict',
      migrations: conflict.migrations,
      message: `${conflict.repo}: table ${conflict.table} conflicts between ${conflict.migrations.join(' and ')} (${conflict.reason}): ${
        conflict.rebase.length > 0
          ? `run ash-sqlite rebase ${conflict.rebase.join(' --with ')} --repo ${conflict.repo}`
          : 'see ash-sqlite status'
      }`,
    }),
  )
  return [...result.databases.flatMap(problemsOfDatabase), ...conflicts]
}

function problemsOfDatabase(database: DatabaseStatus): MigrationProblem[] {
  const identity = { repo: database.repo, database: database.database, url: database.url }
  const label = database.repo === database.database ? database.repo : `${database.repo}/${database.database}`
  if (database.error !== undefined) {
    return [{ ...identity, kind: 'error', migrations: [], message: `${label}: ${database.error.message}` }]
  }
  if (database.exists === false) {
    const count = database.migrations.length
    const message = `${label}: database ${database.url} does not exist (${count} migration${count === 1 ? '' : 's'} to apply): run ash-sqlite migrate, or check the repo's url`
    return [{ ...identity, kind: 'database_missing', migrations: database.migrations.map((m) => m.name), message }]
  }
  const byState = new Map<string, string[]>()
  for (const migration of database.migrations) {
    if (migration.state === 'applied') continue
    byState.set(migration.state, [...(byState.get(migration.state) ?? []), migration.name])
  }
  return [...byState].map(([kind, migrations]) => ({
    ...identity,
    kind,
    migrations,
    message: `${label}: ${migrations.length} ${kind.replace('_', ' ')} (${migrations.join(', ')}): ${fixes[kind] ?? 'see ash-sqlite status'}`,
  }))
}

/** `assertMigrated` found databases that are not migrated. `problems` says which and why. */
export class NotMigratedError extends AshSqliteError {
  override name = 'NotMigratedError'
  readonly problems: readonly MigrationProblem[]

  constructor(problems: readonly MigrationProblem[]) {
    const lines = problems.map((problem) => `  ${problem.message}`)
    super('not_migrated', `The databases are not migrated:\n${lines.join('\n')}`)
    this.problems = problems
  }
}
