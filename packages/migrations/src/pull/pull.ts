/**
 * `pull`: adopt an existing database. Reads its schema, writes a resources module that describes it, the
 * resource snapshots of those resources, and a baseline migration (the database's own DDL, replayed in
 * creation order) recorded as applied on that database. Afterwards `generate` finds nothing to do and
 * `migrate` nothing to apply; a fresh database migrated from the baseline has the original's schema.
 */
import { join, relative, resolve } from 'node:path'
import { defineRepo, type TableState } from '@ash-sqlite/resource'
import {
  createSnapshot,
  nextTimestamp,
  recoverFileSet,
  serializeSnapshot,
  snapshotPath,
  withGenerateLock,
  writeFileSet,
} from '@ash-sqlite/snapshot'
import { DOWN_FILE, DRIZZLE_SNAPSHOT_FILE, MIGRATION_FILE, STATEMENT_SEPARATOR } from '@ash-sqlite/snapshot/layout'
import type { ResolvedRepo } from '../config/resolved-config.js'
import { locateDatabase } from '../database/database-url.js'
import { redactUrl } from '../database/redact-url.js'
import { type DatabaseSession, openSession } from '../database/session.js'
import type { ResolvedDatabase } from '../database/targets.js'
import { AshSqliteError } from '../errors.js'
import type { GeneratedFile } from '../generator/types.js'
import { type LiveSchema, readLiveSchema } from '../introspect/live-schema.js'
import { hashMigrationSql, listMigrationFolderNames, type MigrationFolder } from '../migrator/migration-files.js'
import { ensureTrackingTable, isRecorded, recordApplied } from '../migrator/tracking-table.js'
import { settlePlans } from './instantiate-plan.js'
import { renderModule } from './render-module.js'
import { type PullWarning, planResources } from './resource-plan.js'

/** Where pull writes (a loaded config's directories, or the defaults when there is no config yet). */
export interface PullLayout {
  readonly cwd: string
  readonly migrationsDir: string
  readonly snapshotsDir: string
}

export interface PullOptions {
  readonly repo: string
  /** Database to read (`file:`, `libsql:`, `http(s):`, `ws(s):`). */
  readonly url: string
  readonly authToken?: string | undefined
  /** The resources module to write (default `src/<repo>-resources.ts`). */
  readonly out?: string | undefined
  /** Baseline migration name (default `baseline`). */
  readonly name?: string | undefined
  /** Compute everything, write nothing, record nothing. */
  readonly dryRun?: boolean | undefined
  readonly now?: Date | undefined
  /** Timestamps the baseline must come after (a drizzle-kit project's migrations). */
  readonly after?: readonly string[] | undefined
}

export interface PullResult {
  readonly repo: string
  /** Tables described by the written resources. */
  readonly tables: string[]
  /** Tables only the baseline migration holds (each also has a warning saying why). */
  readonly leftOut: string[]
  readonly warnings: PullWarning[]
  readonly module: string
  /** The baseline migration folder name. */
  readonly baseline: string
  readonly files: GeneratedFile[]
  /** Databases (redacted URLs) the baseline was recorded as applied on. */
  readonly recordedOn: string[]
  readonly states: TableState[]
}

export class PullError extends AshSqliteError {
  override name = 'PullError'
}

const STAGING_DIR = join('.ash-sqlite', 'staging')

export async function pull(layout: PullLayout, options: PullOptions): Promise<PullResult> {
  const repoMigrationsDir = join(layout.migrationsDir, options.repo)
  const existing = await listMigrationFolderNames(repoMigrationsDir)
  if (existing.length > 0) {
    throw new PullError(
      'pull_repo_not_empty',
      `repo ${options.repo} already has ${existing.length} migration(s) in ${relative(layout.cwd, repoMigrationsDir) || '.'}: pull adopts a database into a repo without migrations.\n  Pull into a new repo name, or remove the folder if those migrations are not used.`,
      { exitCode: 2 },
    )
  }
  const database = databaseFor(layout, options)
  const session = await openSession(database, { create: false })
  if (session === null) {
    throw new PullError('pull_no_database', `Cannot pull: database ${database.displayUrl} does not exist.`)
  }
  try {
    const schema = await readLiveSchema(session)
    const result = await buildPull(layout, options, schema, database.displayUrl)
    if (options.dryRun === true) return result
    await writePulledFiles(layout, result.files)
    await recordBaseline(session, baselineFolder(result, repoMigrationsDir), options.now ?? new Date())
    return { ...result, recordedOn: [database.displayUrl] }
  } finally {
    session.close()
  }
}

/** Writes the files of a pull all together or not at all, as generate does. */
export async function writePulledFiles(layout: PullLayout, files: readonly GeneratedFile[]): Promise<void> {
  const stagingDir = join(layout.cwd, STAGING_DIR)
  await withGenerateLock(stagingDir, async () => {
    await recoverFileSet(stagingDir)
    await writeFileSet(files, { stagingDir })
  })
}

/** Records the baseline as applied: the database already has its schema. */
export async function recordBaseline(session: DatabaseSession, folder: MigrationFolder, now: Date): Promise<void> {
  await session.writeTransaction(async (tx) => {
    await ensureTrackingTable(tx, [folder], { create: true })
    if (!(await isRecorded(tx, folder.name))) await recordApplied(tx, folder, now)
  })
}

/** Everything pull writes, computed from a live schema (no I/O besides loading drizzle-kit). */
export async function buildPull(
  layout: PullLayout,
  options: PullOptions,
  schema: LiveSchema,
  source: string,
): Promise<PullResult> {
  const checkConstraints = await dslHasCheckConstraints()
  const planned = planResources(schema, { checkConstraints })
  const settled = settlePlans(options.repo, planned.plans, schema)
  const timestamp = nextTimestamp(options.after ?? [], options.now ?? new Date())
  const baseline = `${timestamp}_${options.name ?? 'baseline'}`
  const dir = join(layout.migrationsDir, options.repo, baseline)
  const modulePath = resolve(layout.cwd, options.out ?? join('src', `${options.repo}-resources.ts`))
  const moduleText = renderModule(planned.plans, {
    repo: options.repo,
    url: moduleUrl(layout, options.url),
    leftOut: planned.leftOut,
    source,
    remote: locateDatabase(options.url, layout.cwd).kind === 'remote',
  })
  const files: GeneratedFile[] = [
    { path: modulePath, contents: moduleText },
    { path: join(dir, MIGRATION_FILE), contents: sqlFile(baselineUp(schema)) },
    { path: join(dir, DOWN_FILE), contents: sqlFile(baselineDown(schema)) },
    { path: join(dir, DRIZZLE_SNAPSHOT_FILE), contents: await drizzleSnapshotOf(settled.states) },
    ...settled.states.map((state) => ({
      path: join(layout.snapshotsDir, snapshotPath(options.repo, state.table, timestamp)),
      contents: serializeSnapshot(createSnapshot(state)),
    })),
  ]
  return {
    repo: options.repo,
    tables: settled.states.map((state) => state.table),
    leftOut: planned.leftOut,
    warnings: [...planned.warnings, ...settled.warnings],
    module: modulePath,
    baseline,
    files,
    recordedOn: [],
    states: settled.states,
  }
}

/** The baseline's up: the database's own CREATE statements, in the order SQLite recorded them. */
export function baselineUp(schema: LiveSchema): string[] {
  return schema.statements.map((statement) => statement.sql)
}

/** The baseline's down: everything dropped in reverse order (triggers and views first, tables last). */
export function baselineDown(schema: LiveSchema): string[] {
  const quote = (name: string) => `"${name.replaceAll('"', '""')}"`
  return [...schema.statements]
    .reverse()
    .filter((statement) => !(statement.type === 'index' && statement.sql === ''))
    .map((statement) => `DROP ${statement.type.toUpperCase()} IF EXISTS ${quote(statement.name)}`)
}

/**
 * Statements as drizzle-kit writes them: each ends with `;` (the stored CREATE text of sqlite_master does not).
 * The `;` goes right after the text, trailing whitespace included, so the text SQLite keeps for the object is
 * the statement exactly, whichever way a migrator joins them.
 */
export function sqlFile(statements: readonly string[]): string {
  const terminated = statements.map((statement) => {
    const text = statement.trimStart()
    return /;\s*$/.test(text) ? text.trimEnd() : `${text};`
  })
  return terminated.join(`\n${STATEMENT_SEPARATOR}`) + (statements.length > 0 ? '\n' : '')
}

export function baselineFolder(result: PullResult, repoMigrationsDir: string): MigrationFolder {
  const up = result.files.find((file) => file.path.endsWith(join(result.baseline, MIGRATION_FILE)))?.contents ?? ''
  const down = result.files.find((file) => file.path.endsWith(join(result.baseline, DOWN_FILE)))?.contents ?? null
  return {
    name: result.baseline,
    timestamp: result.baseline.slice(0, 14),
    path: join(repoMigrationsDir, result.baseline),
    upSql: up,
    downSql: down,
    hash: hashMigrationSql(up),
  }
}

async function drizzleSnapshotOf(states: readonly TableState[]): Promise<string> {
  const [{ loadDrizzleKit }, { drizzleSnapshot }] = await Promise.all([
    import('../generator/drizzle-kit.js'),
    import('../generator/drizzle-diff.js'),
  ])
  const kit = await loadDrizzleKit()
  const byTable = new Map(states.map((state) => [state.table, state]))
  const snapshot = await drizzleSnapshot(kit, states, (table) => byTable.get(table), undefined)
  return JSON.stringify(snapshot, null, 2)
}

/** A file URL is written relative to the project so the module works on every checkout. */
function moduleUrl(layout: PullLayout, url: string): string {
  const location = locateDatabase(url, layout.cwd)
  if (location.kind !== 'file') return redactUrl(url)
  const path = relative(layout.cwd, location.path)
  return `file:${path.split('\\').join('/')}`
}

export function databaseFor(
  layout: PullLayout,
  options: { repo: string; url: string; authToken?: string | undefined },
): ResolvedDatabase {
  const repo: ResolvedRepo = {
    name: options.repo,
    repo: defineRepo({ name: options.repo, url: options.url }),
    tables: [],
    renames: { tables: {}, columns: {} },
    migrationsDir: join(layout.migrationsDir, options.repo),
    snapshotsDir: join(layout.snapshotsDir, options.repo),
  }
  return {
    repo,
    name: options.repo,
    url: options.url,
    authToken: options.authToken,
    displayUrl: redactUrl(options.url),
    location: locateDatabase(options.url, layout.cwd),
  }
}

let checkSupport: boolean | undefined
/** True once the DSL accepts `sqlite.checkConstraints` (probed once, with a throwaway resource). */
async function dslHasCheckConstraints(): Promise<boolean> {
  if (checkSupport !== undefined) return checkSupport
  const { attr, defineResource } = await import('@ash-sqlite/resource')
  try {
    const repo = defineRepo({ name: 'probe', url: 'file:probe.db' })
    defineResource({
      name: 'Probe',
      attributes: { id: attr.integerPrimaryKey() },
      sqlite: { repo, table: 'probe', checkConstraints: [{ name: 'probe_check', check: 'id > 0' }] } as never,
    })
    checkSupport = true
  } catch {
    checkSupport = false
  }
  return checkSupport
}
