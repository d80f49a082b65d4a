/**
 * What `generate` does differently for a D1 repo (dialect: 'd1'): the migration's statements in D1's form
 * (migration-statements.ts), and the bundled migrations module beside the folders (bundle.ts), rewritten with
 * every new migration so a Worker always gets them all.
 */
import { access } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { ResolvedRepo } from '../config/resolved-config.js'
import { migrationSql } from '../generator/migration-sql.js'
import type { RepoMigration } from '../generator/repo-migration.js'
import type { GeneratedFile } from '../generator/types.js'
import { hashMigrationSql, readMigrationFolders } from '../migrator/migration-files.js'
import {
  bundledMigration,
  bundleFileName,
  bundleTypesFileName,
  isBundleFile,
  renderBundleModule,
  renderBundleTypes,
} from './bundle.js'
import { finishD1Migration } from './migration-statements.js'

/** The rebuild renderer the planner uses for a D1 repo, per direction. */
export { d1RebuildRenderer } from './migration-statements.js'

/** The migration's two directions, finished for D1 (foreign key assertions at the end). */
export function d1Migration(migration: RepoMigration): RepoMigration {
  return { ...migration, up: finishD1Migration(migration.up), down: finishD1Migration(migration.down) }
}

/** migrations.js and migrations.d.ts of the repo: the folders on disk (less `without`) plus the new one. */
export async function bundleFiles(
  repo: ResolvedRepo,
  without: ReadonlySet<string>,
  added: { readonly name: string; readonly up: readonly string[]; readonly down: readonly string[] },
): Promise<GeneratedFile[]> {
  const existing = (await readMigrationFolders(repo.migrationsDir)).filter(
    (folder) => !without.has(resolve(repo.migrationsDir, folder.name)) && folder.name !== added.name,
  )
  const upSql = migrationSql(added.up)
  const migrations = [
    ...existing.map(bundledMigration),
    { name: added.name, hash: hashMigrationSql(upSql), up: upSql, down: migrationSql(added.down) },
  ].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  return [
    { path: join(repo.migrationsDir, bundleFileName), contents: renderBundleModule({ repo: repo.name, migrations }) },
    { path: join(repo.migrationsDir, bundleTypesFileName), contents: renderBundleTypes() },
  ]
}

/** The bundle files this run writes again that exist already (they are replaced in the same file set). */
export async function replacedBundleFiles(files: readonly GeneratedFile[]): Promise<string[]> {
  const candidates = files.map((file) => file.path).filter(isBundleFile)
  const existing = await Promise.all(
    candidates.map((path) =>
      access(path).then(
        () => path,
        () => null,
      ),
    ),
  )
  return existing.filter((path): path is string => path !== null)
}
