import { mkdir, readdir } from 'node:fs/promises'
import path from 'node:path'
import type { FileSetEntry } from '../file-set.js'
import { createSnapshot, serializeSnapshot } from '../snapshot.js'
import { snapshotPath } from '../snapshot-path.js'
import { readTree } from './read-tree.js'
import { plainState } from './table-state.js'

/** Folders of a project, as a generate run sees them. */
export function projectDirs(root: string): { migrations: string; snapshots: string; staging: string } {
  return {
    migrations: path.join(root, 'migrations'),
    snapshots: path.join(root, 'resource_snapshots'),
    staging: path.join(root, '.ash-sqlite', 'staging'),
  }
}

/** Folders of earlier runs: the `main` repo folders and the snapshot folder of `t0` already exist. */
export async function prepareProject(root: string): Promise<void> {
  const dirs = projectDirs(root)
  await mkdir(path.join(dirs.migrations, 'main'), { recursive: true })
  await mkdir(path.join(dirs.snapshots, 'main', 't0'), { recursive: true })
}

/**
 * The files of a realistic generate run: `migrations` migration folders (3 files each) and one snapshot per
 * table `t0..t<tables-1>` of repo `main`.
 */
export function generateRunEntries(root: string, options: { tables: number; migrations: number }): FileSetEntry[] {
  const dirs = projectDirs(root)
  const entries: FileSetEntry[] = []
  for (let index = 0; index < options.migrations; index++) {
    const folder = path.join(dirs.migrations, 'main', `2024010100000${index}_migration_${index}`)
    entries.push(
      { path: path.join(folder, 'migration.sql'), contents: `CREATE TABLE m${index} (id integer);\n` },
      { path: path.join(folder, 'down.sql'), contents: `DROP TABLE m${index};\n` },
      { path: path.join(folder, 'snapshot.json'), contents: `{ "id": ${index} }\n` },
    )
  }
  for (let index = 0; index < options.tables; index++) {
    const state = plainState('main', `t${index}`)
    entries.push({
      path: path.join(dirs.snapshots, ...snapshotPath('main', state.table, '20240101000000').split('/')),
      contents: serializeSnapshot(createSnapshot(state)),
    })
  }
  return entries
}

/** The entries as a `readTree` of the project root would show them. */
export function expectedTree(root: string, entries: readonly FileSetEntry[]): Record<string, string> {
  const files = entries.map((entry) => [path.relative(root, entry.path).split(path.sep).join('/'), entry.contents])
  return Object.fromEntries(files.sort(([a], [b]) => ((a as string) < (b as string) ? -1 : 1)))
}

/** Names of the run folders left in a staging folder. */
export async function runFolders(stagingDir: string): Promise<string[]> {
  return (await readdir(stagingDir).catch(() => [])).filter((name) => name.startsWith('run-'))
}

/** Every file of the project except the staging folder, as `readTree` shows them. */
export async function projectFiles(root: string): Promise<Record<string, string>> {
  const tree = await readTree(root)
  return Object.fromEntries(Object.entries(tree).filter(([file]) => !file.startsWith('.ash-sqlite/')))
}
