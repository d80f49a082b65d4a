import { lstat, mkdir, mkdtemp, readdir, readFile, rename, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { errorCode, syncDirectory, writeNewFileDurably } from './durable-fs.js'
import { SnapshotError } from './errors.js'
import { type FileSetEntry, type PlacementUnit, planFileSet } from './file-set-plan.js'
import { mapLimit } from './map-limit.js'

/*
 * Staging layout, inside the caller's staging folder (same filesystem as the targets):
 *
 *   <stagingDir>/run-XXXXXX/units/<n>           one file, or a folder tree that is renamed as a whole
 *   <stagingDir>/run-XXXXXX/manifest.json       the commit point: where each unit goes, what to delete
 *   <stagingDir>/run-XXXXXX/removed             marker: the deletions are done
 *
 * Before manifest.json exists the run never happened (recovery deletes the folder). Once it exists the run has
 * happened (recovery finishes it). Every step after the commit point can be repeated safely.
 */

export type { FileSetEntry } from './file-set-plan.js'

/** Progress of `writeFileSet`, in order: all files staged, committed, each unit put in place. */
export type FileSetProgress =
  | { kind: 'staged'; files: number }
  | { kind: 'committed' }
  | { kind: 'placed'; path: string }

export interface WriteFileSetOptions {
  /** A folder on the same filesystem as every target, e.g. `<cwd>/.ash-sqlite/staging`. Created if missing. */
  stagingDir: string
  /**
   * Absolute files or folders to delete as part of the same all-or-nothing run (e.g. `regen` replacing
   * migrations). Deleted after the commit point, before anything is placed; targets inside them may exist.
   */
  remove?: readonly string[] | undefined
  /** Called at each step; the run waits for a returned promise. */
  onProgress?: ((event: FileSetProgress) => void | Promise<void>) | undefined
}

/** What `recoverFileSet` did with the interrupted runs it found. */
export type RecoveryResult = 'none' | 'completed' | 'discarded'

interface Manifest {
  version: 1
  units: { staged: string; target: string }[]
  remove: string[]
}

const RUN_PREFIX = 'run-'
const UNITS_DIR = 'units'
const MANIFEST = 'manifest.json'
const REMOVED_MARKER = 'removed'
const PARALLEL_WRITES = 32

/**
 * Write every file of one generate run, or none of them, even if the process dies midway: stage all files in a
 * fresh run folder (fsynced), commit by renaming a manifest into it, then rename the files into place. Throws
 * `file_exists` before writing anything if a target exists. Call it while holding `withGenerateLock`, after
 * `recoverFileSet`.
 */
export async function writeFileSet(entries: readonly FileSetEntry[], options: WriteFileSetOptions): Promise<void> {
  const stagingDir = path.resolve(options.stagingDir)
  const remove = resolveRemovals(options.remove ?? [], stagingDir)
  const units = await planFileSet(entries, remove)
  if (units.length === 0 && remove.length === 0) return
  const report = options.onProgress ?? (() => {})

  await mkdir(stagingDir, { recursive: true })
  const runDir = await mkdtemp(path.join(stagingDir, RUN_PREFIX))
  const manifest = manifestOf(units, remove)
  try {
    await refuseOtherFilesystems(runDir, units)
    await stageUnits(runDir, units)
    await report({ kind: 'staged', files: entries.length })
    await commit(runDir, manifest)
  } catch (error) {
    // Nothing has been placed yet: dropping the run folder undoes everything.
    await rm(runDir, { recursive: true, force: true }).catch(() => {})
    throw error
  }
  await report({ kind: 'committed' })
  await rollForward(runDir, manifest, report)
}

/**
 * Finish or discard runs of `writeFileSet` that were interrupted (killed process, power loss): a run with a
 * manifest is completed, one without is deleted. Call it at the start of every generate, holding the lock.
 * Returns 'completed' if any run was completed, else 'discarded' if any was discarded, else 'none'.
 */
export async function recoverFileSet(stagingDir: string): Promise<RecoveryResult> {
  const dir = path.resolve(stagingDir)
  let names: string[]
  try {
    names = await readdir(dir)
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return 'none'
    throw error
  }
  let result: RecoveryResult = 'none'
  for (const name of names.filter((entry) => entry.startsWith(RUN_PREFIX)).sort()) {
    const runDir = path.join(dir, name)
    const manifest = await readManifest(runDir)
    if (manifest === undefined) {
      await rm(runDir, { recursive: true, force: true })
      if (result === 'none') result = 'discarded'
    } else {
      await rollForward(runDir, manifest, () => {})
      result = 'completed'
    }
  }
  if (result !== 'none') await syncDirectory(dir)
  return result
}

function resolveRemovals(remove: readonly string[], stagingDir: string): string[] {
  return remove.map((entry) => {
    const resolved = path.resolve(entry)
    const invalid = (problem: string) =>
      new SnapshotError({ code: 'invalid_file_set', file: entry, problem, fix: 'Fix the list of paths to remove' })
    if (!path.isAbsolute(entry)) throw invalid('is not an absolute path')
    const overlaps = (a: string, b: string) => a === b || b.startsWith(a + path.sep)
    if (overlaps(resolved, stagingDir) || overlaps(stagingDir, resolved)) {
      throw invalid(`overlaps the staging folder ${stagingDir}`)
    }
    return resolved
  })
}

function manifestOf(units: readonly PlacementUnit[], remove: readonly string[]): Manifest {
  return {
    version: 1,
    units: units.map((unit, index) => ({ staged: `${UNITS_DIR}/${index}`, target: unit.target })),
    remove: [...remove],
  }
}

/** A rename across filesystems is a copy: not atomic. Refuse before staging rather than half-place later. */
async function refuseOtherFilesystems(runDir: string, units: readonly PlacementUnit[]): Promise<void> {
  const stagingDevice = (await stat(runDir)).dev
  const parents = [...new Set(units.map((unit) => path.dirname(unit.target)))]
  const devices = await mapLimit(parents, PARALLEL_WRITES, async (parent) => (await stat(parent)).dev)
  const other = parents.find((_, index) => devices[index] !== stagingDevice)
  if (other === undefined) return
  throw new SnapshotError({
    code: 'staging_cross_device',
    file: other,
    problem: `is on another filesystem than the staging folder ${path.dirname(runDir)}, so files cannot be renamed into it atomically`,
    fix: 'Put the staging folder in the same project (and filesystem) as the migrations and snapshots folders',
  })
}

async function stageUnits(runDir: string, units: readonly PlacementUnit[]): Promise<void> {
  const staged = units.flatMap((unit, index) => {
    const unitPath = path.join(runDir, UNITS_DIR, String(index))
    return unit.files.map((file) => ({
      path: file.path === unit.target ? unitPath : path.join(unitPath, path.relative(unit.target, file.path)),
      contents: file.contents,
    }))
  })
  const folders = [...new Set([path.join(runDir, UNITS_DIR), ...staged.map((file) => path.dirname(file.path))])]
  // Parents before children, so each mkdir is a single step.
  for (const folder of folders.sort((a, b) => a.length - b.length)) await mkdir(folder, { recursive: true })
  await mapLimit(staged, PARALLEL_WRITES, (file) => writeNewFileDurably(file.path, file.contents))
  // The staged names must be durable before the manifest that points at them is.
  await mapLimit([runDir, ...folders], PARALLEL_WRITES, syncDirectory)
}

async function commit(runDir: string, manifest: Manifest): Promise<void> {
  const pending = path.join(runDir, `${MANIFEST}.tmp`)
  await writeNewFileDurably(pending, JSON.stringify(manifest, null, 2))
  await rename(pending, path.join(runDir, MANIFEST))
  await syncDirectory(runDir)
}

/** Everything after the commit point; safe to run again after an interruption at any step. */
async function rollForward(
  runDir: string,
  manifest: Manifest,
  report: (event: FileSetProgress) => void | Promise<void>,
): Promise<void> {
  await removePaths(runDir, manifest.remove)
  for (const unit of manifest.units) {
    await placeUnit(path.join(runDir, unit.staged), unit.target)
    await report({ kind: 'placed', path: unit.target })
  }
  const parents = [...new Set(manifest.units.map((unit) => path.dirname(unit.target)))]
  await mapLimit(parents, PARALLEL_WRITES, syncDirectory)
  await rm(runDir, { recursive: true, force: true })
}

async function removePaths(runDir: string, remove: readonly string[]): Promise<void> {
  if (remove.length === 0) return
  const marker = path.join(runDir, REMOVED_MARKER)
  // Once units are being placed, deleting again could delete placed files: the marker says "done".
  if (await exists(marker)) return
  for (const target of remove) await rm(target, { recursive: true, force: true })
  await mapLimit([...new Set(remove.map((target) => path.dirname(target)))], PARALLEL_WRITES, syncDirectory)
  await writeNewFileDurably(marker, '')
  await syncDirectory(runDir)
}

async function placeUnit(staged: string, target: string): Promise<void> {
  const stagedStat = await lstat(staged).catch((error: unknown) => {
    if (errorCode(error) === 'ENOENT') return undefined
    throw error
  })
  // Already placed before an interruption.
  if (stagedStat === undefined) return
  await mkdir(path.dirname(target), { recursive: true })
  if (stagedStat.isDirectory()) await moveFolder(staged, target)
  else await rename(staged, target)
}

async function moveFolder(staged: string, target: string): Promise<void> {
  try {
    await rename(staged, target)
    return
  } catch (error) {
    if (!['EEXIST', 'ENOTEMPTY', 'EPERM'].includes(errorCode(error) ?? '')) throw error
  }
  // The folder exists: an interrupted attempt placed part of it. Move what is left entry by entry.
  for (const name of await readdir(staged)) {
    const from = path.join(staged, name)
    const to = path.join(target, name)
    if ((await lstat(from)).isDirectory()) await moveFolder(from, to)
    else await rename(from, to)
  }
  await rm(staged, { recursive: true, force: true })
}

async function readManifest(runDir: string): Promise<Manifest | undefined> {
  const file = path.join(runDir, MANIFEST)
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    if (['ENOENT', 'ENOTDIR'].includes(errorCode(error) ?? '')) return undefined
    throw error
  }
  let manifest: unknown
  try {
    manifest = JSON.parse(text)
  } catch (error) {
    throw corruptManifest(file, runDir, error)
  }
  if (!isManifest(manifest)) throw corruptManifest(file, runDir)
  return manifest
}

const STAGED_UNIT = new RegExp(`^${UNITS_DIR}/\\d+$`)

function isManifest(value: unknown): value is Manifest {
  const manifest = value as Partial<Manifest> | null
  return (
    typeof manifest === 'object' &&
    manifest !== null &&
    manifest.version === 1 &&
    Array.isArray(manifest.units) &&
    manifest.units.every(
      (unit) =>
        typeof unit?.staged === 'string' &&
        STAGED_UNIT.test(unit.staged) &&
        typeof unit.target === 'string' &&
        path.isAbsolute(unit.target),
    ) &&
    Array.isArray(manifest.remove) &&
    manifest.remove.every((entry) => typeof entry === 'string' && path.isAbsolute(entry))
  )
}

function corruptManifest(file: string, runDir: string, cause?: unknown): SnapshotError {
  return new SnapshotError({
    code: 'staging_corrupt',
    file,
    problem: 'cannot be read, so the interrupted generate run it describes cannot be finished',
    fix: `Check the migrations and snapshots folders for partly written files (git status), then delete ${runDir}`,
    cause,
  })
}

async function exists(file: string): Promise<boolean> {
  return (await lstat(file).catch(() => undefined)) !== undefined
}
