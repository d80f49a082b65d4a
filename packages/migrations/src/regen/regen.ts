import { join } from 'node:path'
import type { ResolvedConfig, ResolvedRepo } from '../config/resolved-config.js'
import { checkConcurrency, selectRepos } from '../database/index.js'
import { commitGeneration, computeGeneration, usingGenerateLock } from '../generator/generate.js'
import type { GenerateResult, GeneratorEvent } from '../generator/types.js'
import { type DatabaseStatus, migrate, readMigrationFolders, status } from '../migrator/index.js'
import { RegenBlockedError, RegenStatusError } from './errors.js'
import { gitWorkTreeRoot } from './git.js'
import { refuseHandWritten } from './hand-written.js'
import { planUntrackedRollbacks } from './rollback-plan.js'
import { rollBackUntracked } from './rollback-untracked.js'
import type { DatabaseRollbackPlan, RegenOptions, RegenRepoResult, RegenResult, UntrackedRepoFiles } from './types.js'
import { findUntrackedFiles } from './untracked-files.js'

/**
 * Throws away the migrations git does not track yet and generates them again as one migration, the way
 * AshSqlite's regen script does, but all-or-nothing:
 *
 * 1. finds, per repo, the migration folders and resource snapshots that are untracked (and not ignored);
 * 2. computes the new migration as if they were gone (renames are decided here, before anything changes);
 * 3. rolls back, newest first, the untracked migrations each database has applied, refusing up front when a
 *    migration git tracks is applied after one of them;
 * 4. only if every database rolled back: deletes the untracked files and writes the new ones in a single
 *    crash-safe file set;
 * 5. with `migrate`, applies pending migrations.
 *
 * Files git tracks, staged ones included, are never touched. Throws `NotAGitRepoError` outside a git work
 * tree and `RegenBlockedError` / `RegenStatusError` before changing anything. A failed rollback is returned
 * as data (`ok: false`) with nothing deleted; running regen again continues from there.
 */
export async function regen(config: ResolvedConfig, options: RegenOptions = {}): Promise<RegenResult> {
  const repos = selectRepos(config, options.repo)
  const concurrency = checkConcurrency(options.concurrency)
  const root = await gitWorkTreeRoot(config.cwd)
  if (options.dryRun === true) {
    const plan = await planRegen(config, root, repos, options, concurrency)
    return { ok: true, dryRun: true, repos: plan.repos, rollback: null, ...plan.files, migrate: null }
  }

  const generatorEvents = (event: GeneratorEvent) => options.onEvent?.({ step: 'generate', event })
  // The lock finishes (or discards) an interrupted generate first: its files decide what is untracked.
  const result = await usingGenerateLock(config, generatorEvents, async (stagingDir): Promise<RegenResult> => {
    const plan = await planRegen(config, root, repos, options, concurrency)
    const rollbacks = plan.repos.flatMap((repo) => repo.rollbacks)
    const rolledBack =
      rollbacks.length === 0
        ? null
        : await rollBackUntracked(config, rollbacks, plan.statuses, {
            concurrency,
            onEvent: (event) => options.onEvent?.({ step: 'rollback', event }),
          })
    const base = { dryRun: false, repos: plan.repos, rollback: rolledBack, migrate: null }
    if (rolledBack !== null && !rolledBack.ok) return { ...base, ok: false, removed: [], generated: null }
    // Exactly the file set generate would write for the planned result: the planned files, and its removals.
    await commitGeneration(stagingDir, plan.files.generated)
    return { ...base, ok: true, ...plan.files }
  })
  if (!result.ok || options.migrate !== true) return result
  const migrated = await migrate(config, {
    repo: repos.map((repo) => repo.name),
    concurrency,
    onEvent: (event) => options.onEvent?.({ step: 'migrate', event }),
  })
  return { ...result, ok: migrated.ok, migrate: migrated }
}

interface RegenPlan {
  readonly repos: RegenRepoResult[]
  /** Status of every database of the repos with untracked migrations. */
  readonly statuses: readonly DatabaseStatus[]
  readonly files: { removed: string[]; generated: GenerateResult }
}

async function planRegen(
  config: ResolvedConfig,
  root: string,
  repos: readonly ResolvedRepo[],
  options: RegenOptions,
  concurrency: number,
): Promise<RegenPlan> {
  const untracked = await findUntrackedFiles(root, repos)
  refuseHandWritten(repos, untracked)
  const { plans, statuses } = await planRollbacks(config, repos, untracked, concurrency)
  const removed = untracked.flatMap((entry) => [
    ...entry.migrations.map((folder) => join(migrationsDirOf(repos, entry.repo), folder)),
    ...entry.snapshotFiles,
  ])
  const generated = await generateWithout(config, repos, removed, options)
  return {
    repos: untracked.map((entry) => ({ ...entry, rollbacks: plans.filter((plan) => plan.repo === entry.repo) })),
    statuses,
    files: { removed, generated },
  }
}

async function planRollbacks(
  config: ResolvedConfig,
  repos: readonly ResolvedRepo[],
  untracked: readonly UntrackedRepoFiles[],
  concurrency: number,
): Promise<{ plans: DatabaseRollbackPlan[]; statuses: readonly DatabaseStatus[] }> {
  const names = untracked.filter((entry) => entry.migrations.length > 0).map((entry) => entry.repo)
  // Nothing untracked, nothing to roll back: no database is even opened.
  if (names.length === 0) return { plans: [], statuses: [] }
  const [current, folders] = await Promise.all([
    status(config, { repo: names, concurrency }),
    Promise.all(names.map((name) => readMigrationFolders(migrationsDirOf(repos, name)))),
  ])
  const failures = current.databases.flatMap((database) =>
    database.error === undefined ? [] : [`${labelOf(database)}: ${database.error.message}`],
  )
  if (failures.length > 0) throw new RegenStatusError(failures)
  const plans: DatabaseRollbackPlan[] = []
  const problems: string[] = []
  names.forEach((name, index) => {
    const repoUntracked = untracked.find((entry) => entry.repo === name)?.migrations ?? []
    const databases = current.databases.filter((database) => database.repo === name)
    const planning = planUntrackedRollbacks(name, repoUntracked, folders[index] ?? [], databases)
    plans.push(...planning.plans)
    problems.push(...planning.problems)
  })
  if (problems.length > 0) throw new RegenBlockedError(problems)
  return { plans, statuses: current.databases }
}

/**
 * The new migration, computed before any database is rolled back so that every rename is decided and every
 * error is raised while nothing has changed yet: the generator's compute step, treating the untracked files
 * as already deleted (and planning their removal). regen commits it itself, under the lock it holds.
 */
function generateWithout(
  config: ResolvedConfig,
  repos: readonly ResolvedRepo[],
  without: readonly string[],
  options: RegenOptions,
): Promise<GenerateResult> {
  return computeGeneration(
    config,
    repos,
    {
      name: options.name,
      renames: options.renames,
      noRenames: options.noRenames,
      dontDropColumns: options.dontDropColumns,
      resolveAmbiguity: options.resolveAmbiguity,
      now: options.now,
      onEvent: (event) => options.onEvent?.({ step: 'generate', event }),
    },
    without,
  )
}

function migrationsDirOf(repos: readonly ResolvedRepo[], name: string): string {
  const repo = repos.find((candidate) => candidate.name === name)
  if (repo === undefined) throw new Error(`regen: repo ${name} is not selected`)
  return repo.migrationsDir
}

function labelOf(database: { repo: string; database: string }): string {
  return database.repo === database.database ? database.repo : `${database.repo}/${database.database}`
}
