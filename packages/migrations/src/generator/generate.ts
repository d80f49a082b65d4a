import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { TableState } from '@ash-sqlite/resource'
import {
  createSnapshot,
  DOWN_FILE,
  DRIZZLE_SNAPSHOT_FILE,
  MIGRATION_FILE,
  MIGRATION_NAME_PATTERN,
  migrationFolderName,
  nextTimestamp,
  recoverFileSet,
  STAGING_DIR,
  serializeSnapshot,
  snapshotDigest,
  snapshotPath,
  withGenerateLock,
  writeFileSet,
} from '@ash-sqlite/snapshot'
import type { ResolvedConfig, ResolvedRepo } from '../config/resolved-config.js'
import { isBundleFile } from '../d1/bundle.js'
import { UsageError } from '../errors.js'
import { ForkConflictError, migrationFolderNames, readRepoSnapshots } from '../forks/repo-forks.js'
import { MissingMigrationFileError } from '../migrator/errors.js'
import type { DrizzleKit } from './drizzle-kit.js'
import { DroppedTableReferencedError, RenameAmbiguityError } from './errors.js'
import type { ExistingMigrations } from './existing-migrations.js'
import { openHashCache } from './hash-cache.js'
import { renameFlagText } from './rename-flags.js'
import type { RenamePlan } from './rename-plan.js'
import { droppedTableState, findRepoChanges, type RepoChanges } from './repo-changes.js'
import type { RepoMigration } from './repo-migration.js'
import type { RenameResolution } from './resolve-renames.js'
import { tablesByName } from './table-pairs.js'
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

/**
 * Diffs each repo's resources against its resource snapshots and writes, per repo with changes, one
 * migration folder (migration.sql, down.sql, snapshot.json) and the new resource snapshots, all in one
 * all-or-nothing file set. A run without changes reads the snapshots, hashes the states and stops: it never
 * loads drizzle-kit. `check` and `dryRun` compute the same result and write nothing.
 *
 * Two plain steps, which `regen` and `rebase` call too: `computeGeneration` (resources and snapshots in, the
 * planned file set out) and `commitGeneration` (that file set, crash-safe, under `usingGenerateLock`).
 */
export async function generate(config: ResolvedConfig, options: GenerateOptions = {}): Promise<GenerateResult> {
  const repos = selectRepos(config, options.repo)
  if (options.check === true || options.dryRun === true) return computeGeneration(config, repos, options)
  return usingGenerateLock(config, options.onEvent, async (stagingDir) => {
    const result = await computeGeneration(config, repos, options)
    await commitGeneration(stagingDir, result, options.onEvent)
    return result
  })
}

/**
 * Runs `fn` holding the project's generate lock, after finishing (or discarding) a run that was interrupted:
 * a finished one is reported (`recovered`), since its files appear only now. `fn` gets the staging folder.
 */
export async function usingGenerateLock<T>(
  config: ResolvedConfig,
  onEvent: ((event: GeneratorEvent) => void) | undefined,
  fn: (stagingDir: string) => Promise<T>,
): Promise<T> {
  const stagingDir = join(config.cwd, STAGING_DIR)
  return withGenerateLock(stagingDir, async () => {
    const recovery = await recoverFileSet(stagingDir)
    if (recovery !== 'none') onEvent?.({ type: 'recovered', outcome: recovery })
    return fn(stagingDir)
  })
}

/** Step two: writes the planned files and deletes the planned removals as one crash-safe file set. */
export async function commitGeneration(
  stagingDir: string,
  result: GenerateResult,
  onEvent?: ((event: GeneratorEvent) => void) | undefined,
): Promise<void> {
  if (result.files.length === 0 && result.removed.length === 0) return
  // A D1 repo's bundled migrations module is rewritten with every migration: the old one is replaced within
  // the same all-or-nothing file set.
  const replaced = result.files.some((file) => isBundleFile(file.path))
    ? await (await import('../d1/generate-d1.js')).replacedBundleFiles(result.files)
    : []
  await writeFileSet(result.files, { stagingDir, remove: [...result.removed, ...replaced] })
  if (result.removed.length > 0) onEvent?.({ type: 'files_removed', count: result.removed.length })
  if (result.files.length > 0) onEvent?.({ type: 'files_written', count: result.files.length })
}

/**
 * Step one: the planned file set, from the resources and the snapshots, writing nothing. `replaced` (regen,
 * rebase) are migration folders and snapshot files the plan treats as absent and lists in `removed`, so the
 * commit deletes them in the same file set. Throws `ForkConflictError` when merged branches changed a table
 * in ways that do not commute, and `GenerateError` when a dropped table is still referenced.
 */
export async function computeGeneration(
  config: ResolvedConfig,
  repos: readonly ResolvedRepo[],
  options: GenerateOptions,
  replaced: readonly string[] = [],
): Promise<GenerateResult> {
  if (options.name !== undefined) assertMigrationName(options.name)
  const without = splitWithout(repos, replaced)
  const emit = (event: GeneratorEvent) => options.onEvent?.(event)
  const cache = openHashCache(config.cwd)
  const snapshots = repos.map((repo) => {
    const repoWithout = withoutOf(without, repo.name)
    const folders = () => migrationFolderNames(repo.migrationsDir, repoWithout.migrationFolders)
    return readRepoSnapshots(
      repo.name,
      repo.snapshotsDir,
      folders,
      tablesByName(repo.tables),
      repoWithout.snapshotFiles,
      cache.trustedDigests,
    )
  })
  for (const repo of snapshots) cache.trust(repo.digests)
  for (const repo of repos) refuseFoldersWithoutMigrationFile(repo, withoutOf(without, repo.name).migrationFolders)
  const conflicts = snapshots.flatMap((repo) => repo.conflicts)
  if (conflicts.length > 0) throw new ForkConflictError(conflicts)
  const [changes, removals] = await Promise.all([
    repos.map((repo, index) => findRepoChanges(repo, snapshots[index]!, cache.hashOf)),
    Promise.all(repos.map((repo) => removalsOf(withoutOf(without, repo.name)))),
  ])
  for (const change of changes) refuseDroppingReferencedTables(change)
  const removed = removals.flat()
  for (const change of changes) {
    if (change.changedTables.length === 0) emit({ type: 'repo_unchanged', repo: change.repo.name })
    else emit({ type: 'repo_changed', repo: change.repo.name, tables: change.changedTables })
  }
  const changed = changes.filter((change) => change.changedTables.length > 0)
  if (changed.length === 0) {
    cache.save()
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
  // The snapshots this run writes pass the check by construction.
  const written = files.filter((file) => file.path.startsWith(config.snapshotsDir))
  cache.trust(written.map((file) => snapshotDigest(file.contents)))
  cache.save()
  return {
    repos: changes.map((change) => results.get(change.repo.name)?.result ?? unchangedResult(change.repo.name)),
    files,
    removed,
    changed: files.length > 0,
  }
}

/** A migration folder without migration.sql would be skipped by every migrator: `--check` must fail on it. */
function refuseFoldersWithoutMigrationFile(repo: ResolvedRepo, replaced: ReadonlySet<string>): void {
  for (const folder of migrationFolderNames(repo.migrationsDir, replaced)) {
    const dir = join(repo.migrationsDir, folder)
    if (!existsSync(join(dir, MIGRATION_FILE))) throw new MissingMigrationFileError(dir)
  }
}

/**
 * A table the resources no longer define, while a table they define still has a foreign key to it: the
 * migration would leave that key pointing at nothing (typically a resource left out of every domain).
 */
function refuseDroppingReferencedTables(change: RepoChanges): void {
  const dropped = new Set(change.changedTables.filter((table) => !change.currentAll.has(table)))
  if (dropped.size === 0) return
  const problems: string[] = []
  for (const state of change.currentAll.values()) {
    for (const column of state.columns) {
      const target = column.references?.table
      if (target !== undefined && dropped.has(target) && target !== state.table) {
        problems.push(`table ${target} would be dropped, but ${state.table}.${column.source} still references it`)
      }
    }
  }
  if (problems.length === 0) return
  throw new DroppedTableReferencedError(
    `[${change.repo.name}] ${problems.join('; ')}. Nothing was written. Add the resource of the dropped table back to a domain of the config, or remove the relationship that references it.`,
  )
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
  const d1 = repo.repo.dialect === 'd1' ? await import('../d1/generate-d1.js') : null
  const planned = await planRepoMigration(kit, change, plan, {
    dontDropColumns: options.dontDropColumns === true,
    snapshotParentId: existing.latestSnapshotId,
    renderer: d1?.d1RebuildRenderer,
  })
  const migration = d1 === null ? planned : d1.d1Migration(planned)
  const timestamp = nextTimestamp([...existing.timestamps, ...change.snapshotTimestamps], options.now ?? new Date())
  const files: GeneratedFile[] = []
  let generated: RepoGenerateResult['migration'] = null

  if (migration.up.length > 0) {
    const folder = migrationFolderName(timestamp, options.name ?? `migrate_resources${existing.folders.length + 1}`)
    const dir = join(repo.migrationsDir, folder)
    files.push(
      { path: join(dir, MIGRATION_FILE), contents: migrationSql(migration.up) },
      { path: join(dir, DOWN_FILE), contents: migrationSql(migration.down) },
      { path: join(dir, DRIZZLE_SNAPSHOT_FILE), contents: await drizzleSnapshotFile(kit, change, migration, existing) },
    )
    generated = { folder, dir, up: migration.up, down: migration.down }
    if (d1 !== null)
      files.push(...(await d1.bundleFiles(repo, without.migrationFolders, { name: folder, ...migration })))
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
  const { nextDrizzleSnapshot } = await import('./drizzle-snapshot-file.js')
  const snapshot =
    migration.wholeSchemaSnapshot ??
    (await nextDrizzleSnapshot(kit, change, existing.latestSnapshot, existing.latestSnapshotId))
  // Formatted as drizzle-kit formats its own snapshot.json.
  return JSON.stringify(snapshot, null, 2)
}

/** A new snapshot for every changed table; a dropped table gets the no-column snapshot that marks it gone. */
function resourceSnapshotFiles(config: ResolvedConfig, change: RepoChanges, timestamp: string): GeneratedFile[] {
  return change.changedTables.map((table) => {
    const state: TableState = change.currentAll.get(table) ?? droppedTableState(change.repo.name, table)
    return {
      path: join(config.snapshotsDir, snapshotPath(change.repo.name, table, timestamp)),
      contents: serializeSnapshot(createSnapshot(state, change.previousHashes.get(table))),
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
  if (MIGRATION_NAME_PATTERN.test(name)) return
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
