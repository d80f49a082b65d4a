/**
 * `squash --to VERSION`: replaces the migrations up to VERSION with one migration whose up builds their
 * schema from nothing (the schema a replay of them produces, statement for statement as SQLite stores it)
 * and whose down drops it. The replaced folders move inside the squash (`squashed/`), and `squash.json`
 * lists them with their hashes, so databases that applied all of them see the squash as applied and
 * databases that applied some catch up through the kept copies (see migrator/squash-manifest.ts).
 */
import { readdir, readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { recoverFileSet, withGenerateLock, writeFileSet } from '@ash-sqlite/snapshot'
import { DOWN_FILE, DRIZZLE_SNAPSHOT_FILE, MIGRATION_FILE, STAGING_DIR } from '@ash-sqlite/snapshot/layout'
import type { ResolvedConfig, ResolvedRepo } from '../config/resolved-config.js'
import { replay } from '../drift/drift.js'
import { AshSqliteError, UsageError } from '../errors.js'
import type { GeneratedFile } from '../generator/types.js'
import { type MigrationFolder, readMigrationFolders, splitStatements } from '../migrator/migration-files.js'
import { resolveVersion } from '../migrator/plan.js'
import { SQUASH_MANIFEST, SQUASHED_DIR, serializeSquashManifest } from '../migrator/squash-manifest.js'
import { baselineDown, baselineUp, sqlFile } from '../pull/pull.js'

export interface SquashOptions {
  /** The repo (required when the config has more than one). */
  readonly repo?: string | undefined
  /** Last migration to squash: a folder name or a unique prefix (its timestamp). */
  readonly to: string
  /** Name of the squash folder after the timestamp (default `squashed`). */
  readonly name?: string | undefined
  readonly dryRun?: boolean | undefined
}

export interface SquashResult {
  readonly repo: string
  /** The squash folder's name. */
  readonly folder: string
  /** The migrations it replaces, oldest first. */
  readonly replaces: readonly string[]
  /** Statements of the squash's up. */
  readonly statements: number
  readonly warnings: readonly string[]
  readonly files: readonly GeneratedFile[]
  readonly removed: readonly string[]
}

export class SquashError extends AshSqliteError {
  override name = 'SquashError'
}

const NAME = /^[A-Za-z0-9_-]+$/
/** Statements that change rows rather than the schema (a table rebuild's copy into `__new_` excepted). */
const DATA_STATEMENT = /^\s*(INSERT|UPDATE|DELETE|REPLACE)\b(?!\s+INTO\s+[`"[]?__new_)/i

export async function squash(config: ResolvedConfig, options: SquashOptions): Promise<SquashResult> {
  const repo = repoOf(config, options.repo)
  const name = options.name ?? 'squashed'
  if (!NAME.test(name))
    throw new UsageError(`squash --name ${JSON.stringify(name)}: use letters, digits, "_" and "-" only`)
  const folders = await readMigrationFolders(repo.migrationsDir)
  const to = resolveVersion(options.to, folders, repo.name)
  const replaced = folders.filter((folder) => folder.name <= to)
  const folder = `${to.slice(0, 14)}_${name}`
  if (folders.some((existing) => existing.name === folder && existing.name !== to)) {
    throw new SquashError('squash_name_taken', `A migration folder ${folder} already exists: pick another --name.`, {
      exitCode: 2,
    })
  }
  const schema = await replay(replaced)
  const up = baselineUp(schema)
  const dir = join(repo.migrationsDir, folder)
  const files: GeneratedFile[] = [
    { path: join(dir, MIGRATION_FILE), contents: sqlFile(up) },
    { path: join(dir, DOWN_FILE), contents: sqlFile(baselineDown(schema)) },
    {
      path: join(dir, SQUASH_MANIFEST),
      contents: serializeSquashManifest(replaced.map((entry) => ({ name: entry.name, hash: entry.hash }))),
    },
  ]
  const snapshot = await newestDrizzleSnapshot(replaced)
  if (snapshot !== null) files.push({ path: join(dir, DRIZZLE_SNAPSHOT_FILE), contents: snapshot })
  for (const entry of replaced) files.push(...(await keptCopy(entry, join(dir, SQUASHED_DIR, entry.name))))
  const result: SquashResult = {
    repo: repo.name,
    folder,
    replaces: replaced.map((entry) => entry.name),
    statements: up.length,
    warnings: dataWarnings(replaced),
    files,
    removed: replaced.map((entry) => entry.path),
  }
  if (options.dryRun === true) return result
  const stagingDir = join(config.cwd, STAGING_DIR)
  await withGenerateLock(stagingDir, async () => {
    await recoverFileSet(stagingDir)
    await writeFileSet(files, { stagingDir, remove: result.removed })
  })
  return result
}

function repoOf(config: ResolvedConfig, name: string | undefined): ResolvedRepo {
  if (name === undefined) {
    if (config.repos.length === 1) return config.repos[0] as ResolvedRepo
    throw new UsageError(
      `squash needs --repo NAME (repos: ${config.repos.map((repo) => repo.name).join(', ') || 'none'})`,
    )
  }
  const repo = config.repos.find((candidate) => candidate.name === name)
  if (repo === undefined) throw new UsageError(`--repo ${name}: no such repo`)
  return repo
}

/** drizzle-kit's snapshot after the last replaced migration that has one, so `generate` chains on. */
async function newestDrizzleSnapshot(replaced: readonly MigrationFolder[]): Promise<string | null> {
  for (const entry of [...replaced].reverse()) {
    const text = await readFile(join(entry.path, DRIZZLE_SNAPSHOT_FILE), 'utf8').catch(() => null)
    if (text !== null) return text
  }
  return null
}

/** Every file of a migration folder (a nested squash's own `squashed/` included), to be kept inside the squash. */
export async function keptCopy(folder: MigrationFolder, target: string): Promise<GeneratedFile[]> {
  const files: GeneratedFile[] = []
  const walk = async (from: string, to: string): Promise<void> => {
    for (const entry of await readdir(from, { withFileTypes: true })) {
      if (entry.isDirectory()) await walk(join(from, entry.name), join(to, entry.name))
      else if (entry.isFile())
        files.push({ path: join(to, entry.name), contents: await readFile(join(from, entry.name), 'utf8') })
    }
  }
  await walk(folder.path, target)
  return files
}

function dataWarnings(replaced: readonly MigrationFolder[]): string[] {
  return replaced
    .filter((folder) => splitStatements(folder.upSql).some((statement) => DATA_STATEMENT.test(statement)))
    .map(
      (folder) =>
        `${folder.name} changes rows (INSERT/UPDATE/DELETE): the squash builds the schema only, so a fresh database does not get that data.`,
    )
}

/** For messages: a folder relative to the project. */
export function displayPath(config: ResolvedConfig, path: string): string {
  return relative(config.cwd, path)
}
