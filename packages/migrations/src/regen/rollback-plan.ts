import { compareNames, type MigrationFolder, type MigrationState, splitStatements } from '../migrator/index.js'
import type { DatabaseStatus } from '../migrator/types.js'
import type { DatabaseRollbackPlan } from './types.js'

const APPLIED_STATES: readonly MigrationState[] = ['applied', 'changed', 'missing']

export interface RollbackPlanning {
  /** Databases with untracked migrations applied, each with what to roll back. */
  readonly plans: DatabaseRollbackPlan[]
  /** Why some database cannot be rolled back; regen refuses when there is any. */
  readonly problems: string[]
}

/**
 * Per database of one repo: the untracked migrations it has applied, and the `rollback` target that undoes
 * exactly them (the folder just before the oldest, or everything). Refused when that target would also roll
 * back a migration git tracks (committed work applied after an untracked migration), or when one of them
 * has no usable down.sql: rollback would stop halfway, after other databases were already rolled back.
 */
export function planUntrackedRollbacks(
  repo: string,
  untracked: readonly string[],
  folders: readonly MigrationFolder[],
  databases: readonly DatabaseStatus[],
  wording: RollbackWording = REGEN_WORDING,
): RollbackPlanning {
  const untrackedNames = new Set(untracked)
  const folderNames = folders.map((folder) => folder.name).sort(compareNames)
  const plans: DatabaseRollbackPlan[] = []
  const problems: string[] = []
  for (const database of databases) {
    const applied = database.migrations
      .filter((entry) => APPLIED_STATES.includes(entry.state))
      .map((entry) => entry.name)
      .sort(compareNames)
    const oldest = applied.find((name) => untrackedNames.has(name))
    if (oldest === undefined) continue
    const to = folderNames.filter((name) => compareNames(name, oldest) < 0).at(-1) ?? null
    const rolledBack = applied.filter((name) => to === null || compareNames(name, to) > 0)
    const inTheWay = rolledBack.filter((name) => !untrackedNames.has(name))
    const label = labelOf(database)
    if (inTheWay.length > 0) {
      problems.push(blockedBy(label, oldest, inTheWay, folderNames, to, wording))
      continue
    }
    plans.push({
      repo: database.repo,
      database: database.database,
      url: database.url,
      migrations: [...rolledBack].reverse(),
      to,
    })
  }
  const planned = new Set(plans.flatMap((plan) => plan.migrations))
  for (const folder of folders) {
    if (!planned.has(folder.name)) continue
    const problem = downProblem(folder, wording)
    if (problem !== undefined) problems.push(`${repo}: ${problem}`)
  }
  return { plans, problems }
}

function blockedBy(
  label: string,
  oldest: string,
  inTheWay: readonly string[],
  folderNames: readonly string[],
  to: string | null,
  wording: RollbackWording,
): string {
  const described = inTheWay.map((name) =>
    folderNames.includes(name) ? `${name} (${wording.kept})` : `${name} (its folder is missing)`,
  )
  const verb = inTheWay.length === 1 ? 'is' : 'are'
  const rollBack = to === null ? 'ash-sqlite rollback --all' : `ash-sqlite rollback --to ${to}`
  return `${label}: ${described.join(', ')} ${verb} applied after the ${wording.replaced} migration ${oldest}, and ${wording.command} only rolls back ${wording.replaced} migrations. Roll the database back yourself (${rollBack}), or ${wording.otherwise(oldest)}.`
}

/** How regen and rebase name the migrations they replace in their refusals. */
export interface RollbackWording {
  readonly command: string
  readonly replaced: string
  readonly kept: string
  readonly otherwise: (migration: string) => string
}

const REGEN_WORDING: RollbackWording = {
  command: 'regen',
  replaced: 'untracked',
  kept: 'tracked by git',
  otherwise: (migration) => `commit ${migration}`,
}

/** The same rule `rollback` applies, checked before any database is touched. */
function downProblem(folder: MigrationFolder, wording: RollbackWording): string | undefined {
  const fix = `write one (or roll the migration back by hand), then run ${wording.command} again`
  if (folder.downSql === null)
    return `${wording.replaced} migration ${folder.name} is applied but has no down.sql to roll it back: ${fix}.`
  if (splitStatements(folder.downSql).length === 0 && splitStatements(folder.upSql).length > 0) {
    return `${wording.replaced} migration ${folder.name} is applied but its down.sql is empty, so rolling it back would undo nothing: ${fix}.`
  }
  return undefined
}

function labelOf(database: DatabaseStatus): string {
  return database.repo === database.database ? database.repo : `${database.repo}/${database.database}`
}
