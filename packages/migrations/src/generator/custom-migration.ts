/**
 * `generate --custom NAME`: an empty migration (migration.sql and down.sql) for SQL written by hand, such as
 * a data migration. It takes the next timestamp of the repo like any generated migration, and carries a
 * copy of the previous drizzle-kit snapshot chained to it (the schema does not change), so drizzle-kit's
 * lineage and the next `generate` continue from it. `migrate`, `rollback`, `status`, `regen` and drift
 * treat it like any other migration folder.
 */
import { randomUUID } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { nextTimestamp, recoverFileSet, withGenerateLock, writeFileSet } from '@ash-sqlite/snapshot'
import { DOWN_FILE, DRIZZLE_SNAPSHOT_FILE, MIGRATION_FILE } from '@ash-sqlite/snapshot/layout'
import type { ResolvedConfig, ResolvedRepo } from '../config/resolved-config.js'
import { UsageError } from '../errors.js'
import { readExistingMigrations } from './existing-migrations.js'
import type { GeneratedFile } from './types.js'

export interface CustomMigrationOptions {
  readonly name: string
  /** Required when the config has more than one repo. */
  readonly repo?: string | undefined
  readonly dryRun?: boolean | undefined
  readonly now?: Date | undefined
}

export interface CustomMigrationResult {
  readonly repo: string
  readonly folder: string
  readonly files: readonly GeneratedFile[]
}

const STAGING_DIR = join('.ash-sqlite', 'staging')

/**
 * Marks a folder as written by hand, so `regen` (which throws away and regenerates untracked migrations)
 * refuses instead of deleting SQL it cannot write again. Migrators ignore it.
 */
export const CUSTOM_MARKER = 'custom.json'
const NAME = /^[A-Za-z0-9_-]+$/

export async function generateCustomMigration(
  config: ResolvedConfig,
  options: CustomMigrationOptions,
): Promise<CustomMigrationResult> {
  if (!NAME.test(options.name)) {
    throw new UsageError(
      `migration name ${JSON.stringify(options.name)}: use letters, digits, "_" and "-" only (it becomes part of a folder name)`,
    )
  }
  const repo = repoOf(config, options.repo)
  const existing = await readExistingMigrations(repo.migrationsDir)
  const folder = `${nextTimestamp(existing.timestamps, options.now ?? new Date())}_${options.name}`
  const dir = join(repo.migrationsDir, folder)
  const files: GeneratedFile[] = [
    { path: join(dir, MIGRATION_FILE), contents: '' },
    { path: join(dir, DOWN_FILE), contents: '' },
    { path: join(dir, CUSTOM_MARKER), contents: `${JSON.stringify({ version: 1, custom: true })}\n` },
  ]
  const previous = existing.folders.at(-1)
  const snapshot =
    previous === undefined ? null : await chainedSnapshot(join(repo.migrationsDir, previous, DRIZZLE_SNAPSHOT_FILE))
  if (snapshot !== null) files.push({ path: join(dir, DRIZZLE_SNAPSHOT_FILE), contents: snapshot })
  if (options.dryRun !== true) {
    const stagingDir = join(config.cwd, STAGING_DIR)
    await withGenerateLock(stagingDir, async () => {
      await recoverFileSet(stagingDir)
      await writeFileSet(files, { stagingDir })
    })
  }
  return { repo: repo.name, folder, files }
}

/** The previous drizzle-kit snapshot under a new id whose parent is the previous one, as drizzle-kit's --custom does. */
async function chainedSnapshot(path: string): Promise<string | null> {
  const text = await readFile(path, 'utf8').catch(() => null)
  if (text === null) return null
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>
    if (typeof parsed.id !== 'string') return null
    return JSON.stringify({ ...parsed, id: randomUUID(), prevIds: [parsed.id] }, null, 2)
  } catch {
    return null
  }
}

function repoOf(config: ResolvedConfig, name: string | undefined): ResolvedRepo {
  if (name === undefined) {
    if (config.repos.length === 1) return config.repos[0] as ResolvedRepo
    throw new UsageError(
      `generate --custom needs --repo NAME: the config has several repos (${config.repos.map((repo) => repo.name).join(', ')})`,
    )
  }
  const repo = config.repos.find((candidate) => candidate.name === name)
  if (repo === undefined) throw new UsageError(`--repo ${name}: no such repo`)
  return repo
}
