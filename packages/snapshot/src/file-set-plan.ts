import { access, constants, lstat, stat } from 'node:fs/promises'
import path from 'node:path'
import { errorCode } from './durable-fs.js'
import { SnapshotError } from './errors.js'
import { mapLimit } from './map-limit.js'

/** One file of a generate run. */
export interface FileSetEntry {
  /** Absolute target path. */
  path: string
  contents: string
}

/**
 * One rename that puts files in place: a single file, or a whole folder tree that does not exist yet (a new
 * migration folder, a new table's snapshot folder), so that such a folder appears with all its files at once.
 */
export interface PlacementUnit {
  /** Absolute path the unit is renamed to. */
  target: string
  /** Files of the unit (for a single-file unit, one file whose path is `target`). */
  files: FileSetEntry[]
}

type PathKind = 'missing' | 'dir' | 'other'

const PARALLEL_CHECKS = 32

/**
 * Check a file set and group it into placement units. Paths in `remove` (already resolved) count as absent,
 * because the run deletes them before placing anything. Throws before anything is written.
 */
export async function planFileSet(
  entries: readonly FileSetEntry[],
  remove: readonly string[],
): Promise<PlacementUnit[]> {
  const files = resolveTargets(entries)
  const kindOf = pathKinds(remove)
  await refuseExistingTargets(files, kindOf)
  const roots = await mapLimit(files, PARALLEL_CHECKS, (file) => unitRootOf(file.path, kindOf))
  const units = new Map<string, PlacementUnit>()
  for (const [index, file] of files.entries()) {
    const root = roots[index] as string
    const unit = units.get(root) ?? { target: root, files: [] }
    unit.files.push(file)
    units.set(root, unit)
  }
  await refuseUnwritableFolders([...units.keys()], remove)
  return [...units.values()]
}

/**
 * Every folder the run renames into or deletes from must be writable, checked before anything is staged:
 * a permission error met while placing would leave the run half placed (the rest waiting for a recovery).
 */
async function refuseUnwritableFolders(unitTargets: readonly string[], remove: readonly string[]): Promise<void> {
  const folders = new Set(unitTargets.map((target) => path.dirname(target)))
  for (const removed of remove) {
    folders.add(path.dirname(removed))
    if ((await stat(removed).catch(() => undefined))?.isDirectory()) folders.add(removed)
  }
  const sorted = [...folders].sort()
  const problems = await mapLimit(sorted, PARALLEL_CHECKS, writeProblemOf)
  const index = problems.findIndex((problem) => problem !== undefined)
  if (index === -1) return
  const folder = sorted[index] as string
  throw new SnapshotError({
    code: 'not_writable',
    file: folder,
    problem: `${problems[index]}, so nothing was written (checked before any file was placed)`,
    fix: `Give the user running ash-sqlite write permission on it (for example chmod u+w ${folder}, or chown it), then run the command again`,
  })
}

async function writeProblemOf(folder: string): Promise<string | undefined> {
  try {
    await access(folder, constants.W_OK | constants.X_OK)
    return undefined
  } catch (error) {
    const code = errorCode(error)
    if (code === 'EROFS') return 'is on a read-only filesystem'
    if (code === 'EACCES' || code === 'EPERM') return `is not writable: write permission is missing (${code})`
    if (code === 'ENOENT') return undefined
    throw error
  }
}

function resolveTargets(entries: readonly FileSetEntry[]): FileSetEntry[] {
  const files = entries.map((entry) => {
    if (!path.isAbsolute(entry.path)) {
      throw invalid(entry.path, 'is not an absolute path', 'Pass absolute target paths (path.resolve them first)')
    }
    return { path: path.resolve(entry.path), contents: entry.contents }
  })
  const targets = new Set<string>()
  for (const file of files) {
    if (targets.has(file.path)) throw invalid(file.path, 'appears twice in one file set', 'Write each file once')
    targets.add(file.path)
  }
  for (const file of files) {
    for (let dir = path.dirname(file.path); dir !== path.dirname(dir); dir = path.dirname(dir)) {
      if (targets.has(dir)) {
        throw invalid(dir, `is written as a file, but ${file.path} is written inside it`, 'Fix the file set')
      }
    }
  }
  return files
}

/** Cached kind of a path, where removed paths (and everything below them) count as missing. */
function pathKinds(remove: readonly string[]): (target: string) => Promise<PathKind> {
  const cache = new Map<string, Promise<PathKind>>()
  const isRemoved = (target: string) =>
    remove.some((removed) => target === removed || target.startsWith(removed + path.sep))
  return (target) => {
    let kind = cache.get(target)
    if (kind === undefined) {
      kind = isRemoved(target) ? Promise.resolve('missing') : kindOnDisk(target)
      cache.set(target, kind)
    }
    return kind
  }
}

async function kindOnDisk(target: string): Promise<PathKind> {
  try {
    return (await stat(target)).isDirectory() ? 'dir' : 'other'
  } catch (error) {
    const code = errorCode(error)
    if (code === 'ENOTDIR') return 'missing'
    if (code !== 'ENOENT') throw error
    // A dangling symlink still occupies the name.
    return (await lstat(target).catch(() => undefined)) === undefined ? 'missing' : 'other'
  }
}

async function refuseExistingTargets(
  files: readonly FileSetEntry[],
  kindOf: (target: string) => Promise<PathKind>,
): Promise<void> {
  const kinds = await mapLimit(files, PARALLEL_CHECKS, (file) => kindOf(file.path))
  const existing = files.filter((_, index) => kinds[index] !== 'missing').map((file) => file.path)
  const first = existing[0]
  if (first === undefined) return
  const others = existing.length > 1 ? ` (and ${existing.length - 1} more: ${existing.slice(1, 4).join(', ')})` : ''
  throw new SnapshotError({
    code: 'file_exists',
    file: first,
    problem: `already exists${others}; generate never overwrites a file, so nothing was written`,
    fix: 'If it is left over from an earlier run, commit or delete it, then run generate again',
  })
}

/** The highest missing folder on the way to `target` (renamed as a whole), or `target` itself. */
async function unitRootOf(target: string, kindOf: (target: string) => Promise<PathKind>): Promise<string> {
  let root = target
  let parent = path.dirname(target)
  while (parent !== root) {
    const kind = await kindOf(parent)
    if (kind === 'dir') return root
    if (kind === 'other') {
      throw invalid(parent, `is a file, so ${target} cannot be written inside it`, 'Move or delete that file')
    }
    root = parent
    parent = path.dirname(parent)
  }
  return root
}

function invalid(file: string, problem: string, fix: string): SnapshotError {
  return new SnapshotError({ code: 'invalid_file_set', file, problem, fix })
}
