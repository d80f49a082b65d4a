/**
 * `pull --from-drizzle SCHEMA`: adopt a drizzle-kit project. Its migrations folder is the truth of what its
 * databases hold, so the schema is the replay of those migrations (in memory); the schema module must agree
 * with the newest drizzle-kit snapshot (otherwise `drizzle-kit generate` has not been run, and the resources
 * would describe a schema no database has). The baseline is a squash of the drizzle-kit migrations (see
 * migrator/squash-manifest.ts): recorded as applied on every database that has all of their rows, and a
 * database that applied only some of them catches up through the kept copies on its next `migrate`.
 */
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join, relative, resolve } from 'node:path'
import { DRIZZLE_SNAPSHOT_FILE } from '@ash-sqlite/snapshot/layout'
import { openSession } from '../database/session.js'
import { replay } from '../drift/drift.js'
import type { GeneratedFile } from '../generator/types.js'
import { type MigrationFolder, readMigrationFolders } from '../migrator/migration-files.js'
import { SQUASH_MANIFEST, SQUASHED_DIR, serializeSquashManifest } from '../migrator/squash-manifest.js'
import { readAppliedMigrations } from '../migrator/tracking-table.js'
import { keptCopy } from '../squash/squash.js'
import {
  baselineFolder,
  buildPull,
  databaseFor,
  PullError,
  type PullLayout,
  type PullResult,
  recordBaseline,
  writePulledFiles,
} from './pull.js'
import type { PullWarning } from './resource-plan.js'

export interface PullFromDrizzleOptions {
  readonly repo: string
  /** The drizzle-kit schema module (TypeScript or JavaScript). */
  readonly schema: string
  /** drizzle-kit's migrations folder (default: `out` of drizzle.config.*, else `drizzle`). */
  readonly drizzleOut?: string | undefined
  /** A database of the project (its URL also goes into the module); more in `databases`. */
  readonly url?: string | undefined
  readonly authToken?: string | undefined
  /** Further databases of the project (a fleet's members) to record the baseline on. */
  readonly databases?: readonly { name: string; url: string; authToken?: string | undefined }[] | undefined
  readonly out?: string | undefined
  readonly name?: string | undefined
  readonly dryRun?: boolean | undefined
  readonly now?: Date | undefined
}

const DRIZZLE_CONFIGS = ['drizzle.config.ts', 'drizzle.config.mts', 'drizzle.config.js', 'drizzle.config.mjs']

export async function pullFromDrizzle(layout: PullLayout, options: PullFromDrizzleOptions): Promise<PullResult> {
  const drizzleConfig = await readDrizzleConfig(layout.cwd)
  const outDir = resolve(layout.cwd, options.drizzleOut ?? drizzleConfig.out ?? 'drizzle')
  const folders = await readMigrationFolders(outDir)
  if (folders.length === 0) {
    throw new PullError(
      'pull_drizzle_no_migrations',
      `No drizzle-kit migrations in ${relative(layout.cwd, outDir) || '.'}: run drizzle-kit generate first, or point --drizzle-out at the folder.`,
      { exitCode: 2 },
    )
  }
  await checkSchemaMatches(layout, options.schema, folders)
  const schema = await replay(folders)
  const url = options.url ?? drizzleConfig.url ?? `file:${options.repo}.db`
  const built = await buildPull(
    layout,
    { ...options, url, after: folders.map((folder) => folder.timestamp) },
    schema,
    relative(layout.cwd, resolve(layout.cwd, options.schema)),
  )
  const baselineDir = join(layout.migrationsDir, options.repo, built.baseline)
  const files: GeneratedFile[] = [
    ...built.files,
    {
      path: join(baselineDir, SQUASH_MANIFEST),
      contents: serializeSquashManifest(folders.map((folder) => ({ name: folder.name, hash: folder.hash }))),
    },
  ]
  for (const folder of folders) files.push(...(await keptCopy(folder, join(baselineDir, SQUASHED_DIR, folder.name))))
  const result: PullResult = { ...built, files }
  if (options.dryRun === true) return result

  await writePulledFiles(layout, files)
  const baseline = baselineFolder(result, join(layout.migrationsDir, options.repo))
  const targets = [
    ...(options.url === undefined ? [] : [{ name: options.repo, url: options.url, authToken: options.authToken }]),
    ...(options.databases ?? []),
  ]
  const warnings: PullWarning[] = [...result.warnings]
  const recordedOn: string[] = []
  for (const target of targets) {
    const database = databaseFor(layout, { repo: options.repo, url: target.url, authToken: target.authToken })
    const session = await openSession(database, { create: false })
    if (session === null) continue
    try {
      const applied = new Set((await readAppliedMigrations(session, folders)).map((row) => row.name))
      const done = folders.filter((folder) => applied.has(folder.name)).length
      if (done === folders.length) {
        await recordBaseline(session, baseline, options.now ?? new Date())
        recordedOn.push(database.displayUrl)
      } else if (done > 0) {
        warnings.push({
          table: null,
          message: `${database.displayUrl} applied ${done} of the ${folders.length} drizzle-kit migrations: \`ash-sqlite migrate\` runs the rest (kept in ${built.baseline}/${SQUASHED_DIR}/) and then records the baseline.`,
        })
      }
    } finally {
      session.close()
    }
  }
  return { ...result, warnings, recordedOn }
}

/** `out` and `dbCredentials.url` of the project's drizzle.config, when there is one. */
async function readDrizzleConfig(cwd: string): Promise<{ out?: string; url?: string }> {
  const file = DRIZZLE_CONFIGS.map((name) => join(cwd, name)).find((path) => existsSync(path))
  if (file === undefined) return {}
  const exports = await importModule(file)
  const config = ((exports as { default?: unknown }).default ?? exports) as {
    out?: unknown
    dbCredentials?: { url?: unknown }
  }
  return {
    ...(typeof config.out === 'string' ? { out: config.out } : {}),
    ...(typeof config.dbCredentials?.url === 'string' ? { url: config.dbCredentials.url } : {}),
  }
}

/** The schema module must describe what the newest migration left: otherwise drizzle-kit generate is pending. */
async function checkSchemaMatches(
  layout: PullLayout,
  schemaFile: string,
  folders: readonly MigrationFolder[],
): Promise<void> {
  const path = resolve(layout.cwd, schemaFile)
  if (!existsSync(path)) {
    throw new PullError('pull_drizzle_no_schema', `--from-drizzle ${schemaFile}: no such file.`, { exitCode: 2 })
  }
  const newest = folders.at(-1) as MigrationFolder
  const snapshotText = await readFile(join(newest.path, DRIZZLE_SNAPSHOT_FILE), 'utf8').catch(() => null)
  if (snapshotText === null) return
  const { loadDrizzleKit } = await import('../generator/drizzle-kit.js')
  const kit = await loadDrizzleKit()
  const exports = (await importModule(path)) as Record<string, unknown>
  const current = await kit.generateDrizzleJson(exports as never)
  const pending = await kit.generateMigration(JSON.parse(snapshotText), current).catch(() => ['(undecidable)'])
  if (pending.length > 0) {
    throw new PullError(
      'pull_drizzle_schema_ahead',
      `${schemaFile} has changes that the drizzle-kit migrations in ${relative(layout.cwd, join(newest.path, '..'))} do not (${pending.length} statement(s), e.g. ${String(pending[0]).split('\n')[0]}).\n  Run drizzle-kit generate (and apply it) first, then pull.`,
    )
  }
}

async function importModule(path: string): Promise<unknown> {
  const { createJiti } = await import('jiti')
  const jiti = createJiti(import.meta.url, { moduleCache: false, interopDefault: true })
  return jiti.import(path)
}
