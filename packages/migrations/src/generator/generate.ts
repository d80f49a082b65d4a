import { join } from 'node:path'
import type { TableState } from '@ash-sqlite/resource'
import {
  createSnapshot,
  nextTimestamp,
  recoverFileSet,
  serializeSnapshot,
  snapshotPath,
  withGenerateLock,
  writeFileSet,
} from '@ash-sqlite/snapshot'
import type { ResolvedConfig, ResolvedRepo } from '../config/resolved-config.js'
import { UsageError } from '../errors.js'
import type { DrizzleKit } from './drizzle-kit.js'
import { RenameAmbiguityError } from './errors.js'
import type { ExistingMigrations } from './existing-migrations.js'
import { renameFlagText } from './rename-flags.js'
import type { RenamePlan } from './rename-plan.js'
import { droppedTableState, findRepoChanges, type RepoChanges } from './repo-changes.js'
import type { RepoMigration } from './repo-migration.js'
import type { RenameResolution } from './resolve-renames.js'
import type {
  GeneratedFile,
  GenerateOptions,
  GenerateResult,
  GeneratorEvent,
  RenameAmbiguity,
  RenameFlag,
  RepoGenerateResult,
} from './types.js'
import { type RepoWithout, removalsOf, splitWithout, withoutOf } from './without-paths.js'

/** Where writes are staged before they are renamed into place, and where the generate lock lives. */
const STAGING_DIR = join('.ash-sqlite', 'staging')

const MIGRATION_NAME = /^[A-Za-z0-9_-]+$/

/**
 * Diffs each repo's resources against its resource snapshots and writes, per repo with changes, one
 * migration folder (migration.sql, down.sql, snapshot.json) and the new resource snapshots, all in one
 * all-or-nothing file set that also deletes the `without` paths. A run without changes reads the snapshots,
 * hashes the states and stops: it never loads drizzle-kit. `check` and `dryRun` compute the same result and
 * write (and delete) nothing.
 */
export async function generate(config: ResolvedConfig, options: GenerateOptions = {}): Promise<GenerateResult> {
  const repos = selectRepos(config, options.repo)
  if (options.name !== undefined) assertMigrationName(options.name)
  const without = splitWithout(repos, options.without ?? [])
  if (options.check === true || options.dryRun === true) return computeRun(config, repos, without, options)

  const stagingDir = join(config.cwd, STAGING_DIR)
  return withGenerateLock(stagingDir, async () => {
    // A run that died while placing its files is finished (or discarded) before anything is read.
    await recoverFileSet(stagingDir)
    const result = await computeRun(config, repos, without, options)
    if (result.files.length > 0 || result.removed.length > 0) {
      await writeFileSet(result.files, { stagingDir, remove: result.removed })
      if (result.removed.length > 0) options.onEvent?.({ type: 'files_removed', count: result.removed.length })
      if (result.files.length > 0) options.onEvent?.({ type: 'files_written', count: result.files.length })
    }
    return result
  })
}

async function computeRun(
  config: ResolvedConfig,
  repos: readonly ResolvedRepo[],
  without: ReadonlyMap<string, RepoWithout>,
  options: GenerateOptions,
): Promise<GenerateResult> {
  const emit = (event: GeneratorEvent) => options.onEvent?.(event)
  const [changes, removals] = await Promise.all([
    Promise.all(repos.map((repo) => findRepoChanges(repo, withoutOf(without, repo.name).snapshotFiles))),
    Promise.all(repos.map((repo) => removalsOf(withoutOf(without, repo.name)))),
  ])
  const removed = removals.flat()
  for (const change of changes) {
    if (change.changedTables.length === 0) emit({ type: 'repo_unchanged', repo: change.repo.name })
    else emit({ type: 'repo_changed', repo: change.repo.name, tables: change.changedTables })
  }
  const changed = changes.filter((change) => change.changedTables.length > 0)
  if (changed.length === 0) {
    return { repos: changes.map((change) => unchangedResult(change.repo.name)), files: [], removed, changed: false }
  }

  // Only a run with changes loads the planning modules (and drizzle-kit): a no-op run stays small.
  const plans = await decideRenames(changed, options)
  const kit = await (await import('./drizzle-kit.js')).loadDrizzleKit(config.cwd)
  const results = new Map<string, { result: RepoGenerateResult; files: GeneratedFile[] }>()
  for (const change of changed) {
    const repoWithout = withoutOf(without, change.repo.name)
    const plan = plans.get(change.repo.name)!
    results.set(change.repo.name, await generateRepo(kit, config, change, plan, repoWithout, options))
  }
  const files = [...results.values()].flatMap((entry) => entry.files)
  return {
    repos: changes.map((change) => results.get(change.repo.name)?.result ?? unchangedResult(change.repo.name)),
    files,
    removed,
    changed: files.length > 0,
  }
}

/**
 * Every repo's renames are decided before any SQL is computed, so that without a resolver all ambiguities
 * of the run are reported at once, and a flag that matches nothing is reported instead of being ignored.
 */
async function decideRenames(
  changes: readonly RepoChanges[],
  options: GenerateOptions,
): Promise<Map<string, RenamePlan>> {
  const { resolveRenames } = await import('./resolve-renames.js')
  const flags = options.renames ?? []
  const resolutions = new Map<string, RenameResolution>()
  for (const change of changes) {
    const resolution = await resolveRenames(
      {
        repo: change.repo.name,
        previous: change.previous,
        current: change.current,
        declared: change.repo.renames,
        flags,
      },
      { noRenames: options.noRenames === true, resolveAmbiguity: options.resolveAmbiguity },
    )
    resolutions.set(change.repo.name, resolution)
  }
  const unresolved: RenameAmbiguity[] = [...resolutions.values()].flatMap((resolution) => resolution.unresolved)
  if (unresolved.length > 0) throw new RenameAmbiguityError(unresolved)
  const used = new Set([...resolutions.values()].flatMap((resolution) => [...resolution.usedFlags]))
  const unused = flags.filter((flag) => !used.has(flag))
  if (unused.length > 0) throw unusedFlagsError(unused)
  return new Map([...resolutions].map(([repo, resolution]) => [repo, resolution.plan]))
}

async function generateRepo(
  kit: DrizzleKit,
  config: ResolvedConfig,
  change: RepoChanges,
  plan: RenamePlan,
  without: RepoWithout,
  options: GenerateOptions,
): Promise<{ result: RepoGenerateResult; files: GeneratedFile[] }> {
  const [{ readExistingMigrations }, { planRepoMigration }, { migrationSql }] = await Promise.all([
    import('./existing-migrations.js'),
    import('./repo-migration.js'),
    import('./migration-sql.js'),
  ])
  const repo = change.repo
  const existing = await readExistingMigrations(repo.migrationsDir, without.migrationFolders)
  const migration = await planRepoMigration(kit, change, plan, {
    dontDropColumns: options.dontDropColumns === true,
    snapshotParentId: existing.latestSnapshotId,
  })
  const timestamp = nextTimestamp([...existing.timestamps, ...change.snapshotTimestamps], options.now ?? new Date())
  const files: GeneratedFile[] = []
  let generated: RepoGenerateResult['migration'] = null

  if (migration.up.length > 0) {
    const folder = `${timestamp}_${options.name ?? `migrate_resources${existing.folders.length + 1}`}`
    const dir = join(repo.migrationsDir, folder)
    files.push(
      { path: join(dir, 'migration.sql'), contents: migrationSql(migration.up) },
      { path: join(dir, 'down.sql'), contents: migrationSql(migration.down) },
      { path: join(dir, 'snapshot.json'), contents: await drizzleSnapshotFile(kit, change, migration, existing) },
    )
    generated = { folder, dir, up: migration.up, down: migration.down }
    options.onEvent?.({
      type: 'migration_planned',
      repo: repo.name,
      folder,
      up: migration.up.length,
      down: migration.down.length,
    })
  } else {
    options.onEvent?.({ type: 'snapshots_only', repo: repo.name, tables: change.changedTables })
  }

  const snapshotFiles = resourceSnapshotFiles(config, change, timestamp)
  files.push(...snapshotFiles)
  return {
    result: {
      repo: repo.name,
      migration: generated,
      snapshotFiles: snapshotFiles.map((file) => file.path),
      changedTables: change.changedTables,
      warnings: migration.warnings,
    },
    files,
  }
}

/** drizzle-kit's own snapshot of the whole schema after this migration, chained to the previous folder's. */
async function drizzleSnapshotFile(
  kit: DrizzleKit,
  change: RepoChanges,
  migration: RepoMigration,
  existing: ExistingMigrations,
): Promise<string> {
  const { drizzleSnapshot } = await import('./drizzle-diff.js')
  const lookup = (table: string) => change.currentAll.get(table)
  const snapshot =
    migration.wholeSchemaSnapshot ??
    (await drizzleSnapshot(kit, change.currentAll.values(), lookup, existing.latestSnapshotId))
  // Formatted as drizzle-kit formats its own snapshot.json.
  return JSON.stringify(snapshot, null, 2)
}

/** A new snapshot for every changed table; a dropped table gets the no-column snapshot that marks it gone. */
function resourceSnapshotFiles(config: ResolvedConfig, change: RepoChanges, timestamp: string): GeneratedFile[] {
  return change.changedTables.map((table) => {
    const state: TableState = change.currentAll.get(table) ?? droppedTableState(change.repo.name, table)
    return {
      path: join(config.snapshotsDir, snapshotPath(change.repo.name, table, timestamp)),
      contents: serializeSnapshot(createSnapshot(state)),
    }
  })
}

function unchangedResult(repo: string): RepoGenerateResult {
  return { repo, migration: null, snapshotFiles: [], changedTables: [], warnings: [] }
}

function selectRepos(config: ResolvedConfig, names: readonly string[] | undefined): readonly ResolvedRepo[] {
  if (names === undefined || names.length === 0) return config.repos
  const known = new Set(config.repos.map((repo) => repo.name))
  const unknown = names.filter((name) => !known.has(name))
  if (unknown.length > 0) {
    const list = config.repos.map((repo) => repo.name).join(', ') || 'none'
    throw new UsageError(`--repo ${unknown.join(', ')}: no such repo (the config's repos: ${list})`)
  }
  return config.repos.filter((repo) => names.includes(repo.name))
}

function assertMigrationName(name: string): void {
  if (MIGRATION_NAME.test(name)) return
  throw new UsageError(
    `migration name ${JSON.stringify(name)}: use letters, digits, "_" and "-" only (it becomes part of a folder name)`,
  )
}

function unusedFlagsError(flags: readonly RenameFlag[]): UsageError {
  const described = flags.map((flag) => {
    const what =
      flag.kind === 'table'
        ? `no table ${flag.from} was dropped while a table ${flag.to} was added`
        : `table ${flag.table} did not both lose a column ${flag.from} and gain a column ${flag.to}`
    return `${renameFlagText(flag)}: ${what}`
  })
  return new UsageError(`rename flags that match no change (nothing was written):\n  ${described.join('\n  ')}`)
}
