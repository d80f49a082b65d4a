import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { MIGRATION_FOLDER_PATTERN, migrationFolderTimestamp, SNAPSHOT_FILE_PATTERN } from '@ash-sqlite/snapshot'
import type { ResolvedConfig, ResolvedRepo } from '../config/resolved-config.js'
import { checkConcurrency } from '../database/index.js'
import { UsageError } from '../errors.js'
import { commitGeneration, computeGeneration, usingGenerateLock } from '../generator/generate.js'
import type { GeneratorEvent } from '../generator/types.js'
import { migrate, readMigrationFolders, status } from '../migrator/index.js'
import { RegenBlockedError } from '../regen/errors.js'
import { handWrittenReasons } from '../regen/hand-written.js'
import { planUntrackedRollbacks, type RollbackWording } from '../regen/rollback-plan.js'
import { rollBackUntracked } from '../regen/rollback-untracked.js'
import { RebaseStatusError } from './errors.js'
import type { RebaseOptions, RebaseResult } from './types.js'

const WORDING: RollbackWording = {
  command: 'rebase',
  replaced: 'rebased',
  kept: 'not rebased',
  otherwise: () => 'rebase the newer migrations along with it',
}

/**
 * Moves migrations of one branch on top of another after a merge whose forks do not commute: like `regen`,
 * but for named migrations, tracked or not.
 *
 * 1. finds the named migration folders (a full name or a unique prefix each) and the resource snapshots their
 *    generate run wrote (same timestamp); refuses a hand-written one (`generate --custom`, squash), which no
 *    generate can write again;
 * 2. computes the replacement as if they were gone: one migration from the other branches' merged state to
 *    the resources (renames are decided here, before anything changes);
 * 3. reads the status of every database of the repo (fleets too) and refuses, changing nothing, when one
 *    cannot be reached (it may have the migration applied) or one cannot be rolled back (no down.sql, or a
 *    migration that is not rebased is applied after it);
 * 4. rolls the named migrations back where they are applied;
 * 5. only if every database rolled back: deletes them and their snapshots and writes the new migration in one
 *    crash-safe file set; with `migrate`, applies pending migrations.
 */
export async function rebase(config: ResolvedConfig, options: RebaseOptions): Promise<RebaseResult> {
  const concurrency = checkConcurrency(options.concurrency)
  const repo = findRepo(config, options.migrations, options.repo)
  const generatorEvents = (event: GeneratorEvent) => options.onEvent?.({ step: 'generate', event })
  const result = await usingGenerateLock(config, generatorEvents, async (stagingDir): Promise<RebaseResult> => {
    const migrations = options.migrations.map((name) => resolveFolder(repo, name))
    // rebase deletes the named folders and generates their replacement from the resources: the SQL of a
    // hand-written migration or a squash cannot come back that way, so refuse before anything changes.
    const handWritten = handWrittenReasons(
      repo.name,
      repo.migrationsDir,
      migrations,
      'rebase cannot generate it again; move it past the conflict by hand instead',
    )
    if (handWritten.length > 0) throw new RegenBlockedError(handWritten, 'rebase')
    const snapshotFiles = snapshotFilesOf(repo, migrations)
    const replaced = [...migrations.map((folder) => join(repo.migrationsDir, folder)), ...snapshotFiles]
    const generated = await computeGeneration(
      config,
      [repo],
      {
        name: options.name ?? suffixOf(migrations.at(-1)!),
        renames: options.renames,
        noRenames: options.noRenames,
        dontDropColumns: options.dontDropColumns,
        resolveAmbiguity: options.resolveAmbiguity,
        now: options.now,
        onEvent: generatorEvents,
      },
      replaced,
    )
    const [current, folders] = await Promise.all([
      status(config, { repo: [repo.name], concurrency }),
      readMigrationFolders(repo.migrationsDir),
    ])
    const unreachable = current.databases.filter((database) => database.error !== undefined)
    if (unreachable.length > 0) {
      throw new RebaseStatusError(
        unreachable.map((database) => `${labelOf(database)}: ${database.error!.message}`),
        migrations,
      )
    }
    const planning = planUntrackedRollbacks(repo.name, migrations, folders, current.databases, WORDING)
    if (planning.problems.length > 0) throw new RegenBlockedError(planning.problems, 'rebase')
    const base = { dryRun: options.dryRun === true, repo: repo.name, migrations, rollbacks: planning.plans }
    if (options.dryRun === true)
      return { ...base, ok: true, rollback: null, removed: generated.removed, generated, migrate: null }
    const rolledBack =
      planning.plans.length === 0
        ? null
        : await rollBackUntracked(config, planning.plans, current.databases, {
            concurrency,
            onEvent: (event) => options.onEvent?.({ step: 'rollback', event }),
          })
    if (rolledBack !== null && !rolledBack.ok) {
      return { ...base, ok: false, rollback: rolledBack, removed: [], generated: null, migrate: null }
    }
    await commitGeneration(stagingDir, generated, generatorEvents)
    return { ...base, ok: true, rollback: rolledBack, removed: generated.removed, generated, migrate: null }
  })
  if (!result.ok || result.dryRun || options.migrate !== true) return result
  const migrated = await migrate(config, {
    repo: [repo.name],
    concurrency,
    onEvent: (event) => options.onEvent?.({ step: 'migrate', event }),
  })
  return { ...result, ok: migrated.ok, migrate: migrated }
}

/** The repo holding the named migrations: `--repo`, or the only repo that has a folder for the first one. */
function findRepo(config: ResolvedConfig, migrations: readonly string[], name: string | undefined): ResolvedRepo {
  if (migrations.length === 0)
    throw new UsageError('rebase: name the migration to rebase (ash-sqlite rebase <migration>)')
  if (name !== undefined) {
    const repo = config.repos.find((candidate) => candidate.name === name)
    if (repo === undefined) {
      const list = config.repos.map((candidate) => candidate.name).join(', ') || 'none'
      throw new UsageError(`--repo ${name}: no such repo (the config's repos: ${list})`)
    }
    return repo
  }
  const holders = config.repos.filter((repo) => matchingFolders(repo, migrations[0]!).length > 0)
  if (holders.length === 1) return holders[0]!
  if (holders.length === 0) throw noSuchMigration(migrations[0]!, config.repos)
  throw new UsageError(
    `rebase: migration ${migrations[0]} exists in repos ${holders.map((repo) => repo.name).join(' and ')}: pick one with --repo`,
  )
}

function resolveFolder(repo: ResolvedRepo, name: string): string {
  const matches = matchingFolders(repo, name)
  if (matches.length === 1) return matches[0]!
  if (matches.length === 0) throw noSuchMigration(name, [repo])
  throw new UsageError(`rebase: ${name} matches several migrations of repo ${repo.name}: ${matches.join(', ')}`)
}

function matchingFolders(repo: ResolvedRepo, name: string): string[] {
  const folders = listNames(repo.migrationsDir).filter((folder) => MIGRATION_FOLDER_PATTERN.test(folder))
  if (folders.includes(name)) return [name]
  return folders.filter((folder) => folder.startsWith(name))
}

function noSuchMigration(name: string, repos: readonly ResolvedRepo[]): UsageError {
  return new UsageError(
    `rebase: no migration ${name} in ${repos.map((repo) => repo.migrationsDir).join(', ')}. Name a migration folder (ash-sqlite status lists them).`,
  )
}

/** The resource snapshots the migrations' generate runs wrote: same repo, same timestamp. */
function snapshotFilesOf(repo: ResolvedRepo, migrations: readonly string[]): string[] {
  const timestamps = new Set(migrations.map((folder) => migrationFolderTimestamp(folder)))
  const files: string[] = []
  for (const table of listNames(repo.snapshotsDir).filter((name) => !name.startsWith('.'))) {
    for (const file of listNames(join(repo.snapshotsDir, table))) {
      const timestamp = SNAPSHOT_FILE_PATTERN.exec(file)?.[1]
      if (timestamp !== undefined && timestamps.has(timestamp)) files.push(join(repo.snapshotsDir, table, file))
    }
  }
  return files.sort()
}

/** `20260101000000_add_slug` -> `add_slug`: the rebased migration keeps its name. */
function suffixOf(folder: string): string | undefined {
  const suffix = folder.slice(15)
  return suffix === '' ? undefined : suffix
}

function listNames(dir: string): string[] {
  try {
    return readdirSync(dir)
  } catch (error) {
    if (['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) return []
    throw error
  }
}

function labelOf(database: { repo: string; database: string }): string {
  return database.repo === database.database ? database.repo : `${database.repo}/${database.database}`
}
