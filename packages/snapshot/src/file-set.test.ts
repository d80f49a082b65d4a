import { mkdir, readdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { SnapshotError } from './errors.js'
import { type FileSetEntry, type FileSetProgress, recoverFileSet, writeFileSet } from './file-set.js'
import {
  expectedTree,
  generateRunEntries,
  prepareProject,
  projectDirs,
  projectFiles,
  runFolders,
} from './test-utils/generate-run.js'
import { useTempDir } from './test-utils/temp-dir.js'

async function rejection(promise: Promise<unknown>): Promise<SnapshotError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  )
  if (!(error instanceof SnapshotError)) throw new Error(`expected a SnapshotError, got ${String(error)}`)
  return error
}

describe('writeFileSet', () => {
  const tempDir = useTempDir()
  const dirs = () => projectDirs(tempDir())

  test('writes every file across several roots and leaves no run folder behind', async () => {
    await prepareProject(tempDir())
    const entries = generateRunEntries(tempDir(), { tables: 40, migrations: 3 })
    await writeFileSet(entries, { stagingDir: dirs().staging })
    expect(await projectFiles(tempDir())).toEqual(expectedTree(tempDir(), entries))
    expect(await runFolders(dirs().staging)).toEqual([])
  })

  test('creates missing root folders too', async () => {
    const entries = generateRunEntries(tempDir(), { tables: 2, migrations: 1 })
    await writeFileSet(entries, { stagingDir: dirs().staging })
    expect(await projectFiles(tempDir())).toEqual(expectedTree(tempDir(), entries))
  })

  test('reports each step; a new folder is placed whole, a file in an existing folder alone', async () => {
    await prepareProject(tempDir())
    const entries = generateRunEntries(tempDir(), { tables: 2, migrations: 1 })
    const events: FileSetProgress[] = []
    await writeFileSet(entries, { stagingDir: dirs().staging, onProgress: (event) => void events.push(event) })
    expect(events).toEqual([
      { kind: 'staged', files: 5 },
      { kind: 'committed' },
      { kind: 'placed', path: path.join(dirs().migrations, 'main', '20240101000000_migration_0') },
      { kind: 'placed', path: path.join(dirs().snapshots, 'main', 't0', '20240101000000.json') },
      { kind: 'placed', path: path.join(dirs().snapshots, 'main', 't1') },
    ])
  })

  test('an existing target: refuses before writing anything', async () => {
    await prepareProject(tempDir())
    const entries = generateRunEntries(tempDir(), { tables: 3, migrations: 2 })
    const existing = entries[4] as FileSetEntry
    const other = entries.at(-1) as FileSetEntry
    await mkdir(path.dirname(existing.path), { recursive: true })
    await writeFile(existing.path, 'mine')
    await mkdir(path.dirname(other.path), { recursive: true })
    await writeFile(other.path, 'mine too')
    const before = await projectFiles(tempDir())

    const error = await rejection(writeFileSet(entries, { stagingDir: dirs().staging }))
    expect(error.code).toBe('file_exists')
    expect(error.file).toBe(existing.path)
    expect(error.message).toBe(
      `${existing.path}: already exists (and 1 more: ${other.path}); generate never overwrites a file, so ` +
        'nothing was written. If it is left over from an earlier run, commit or delete it, then run generate again',
    )
    expect(await projectFiles(tempDir())).toEqual(before)
    expect(await runFolders(dirs().staging)).toEqual([])
  })

  test.each([
    ['a relative path', [{ path: 'migrations/x.sql', contents: '' }], 'is not an absolute path'],
    [
      'the same path twice',
      [
        { path: '/ROOT/a.sql', contents: '1' },
        { path: '/ROOT/sub/../a.sql', contents: '2' },
      ],
      'appears twice in one file set',
    ],
    [
      'a file inside another target',
      [
        { path: '/ROOT/a', contents: '' },
        { path: '/ROOT/a/b.sql', contents: '' },
      ],
      'is written as a file, but',
    ],
    ['a file under an existing file', [{ path: '/ROOT/file.txt/a.sql', contents: '' }], 'is a file, so'],
  ])('refuses %s, writing nothing', async (_, raw, problem) => {
    await writeFile(path.join(tempDir(), 'file.txt'), 'x')
    const entries = raw.map((entry) => ({ ...entry, path: entry.path.replace('/ROOT', tempDir()) }))
    const error = await rejection(writeFileSet(entries, { stagingDir: dirs().staging }))
    expect(error.code).toBe('invalid_file_set')
    expect(error.message).toContain(problem)
    expect(await projectFiles(tempDir())).toEqual({ 'file.txt': 'x' })
  })

  test('removes paths in the same run, before placing files (regen replacing a migration folder)', async () => {
    const folder = path.join(dirs().migrations, 'main', '20240101000000_old')
    const oldSnapshot = path.join(dirs().snapshots, 'main', 'users', '20240101000000.json')
    const keptSnapshot = path.join(dirs().snapshots, 'main', 'users', '20230101000000.json')
    await mkdir(folder, { recursive: true })
    await mkdir(path.dirname(oldSnapshot), { recursive: true })
    await writeFile(path.join(folder, 'migration.sql'), 'old up')
    await writeFile(path.join(folder, 'down.sql'), 'old down')
    await writeFile(oldSnapshot, 'old snapshot')
    await writeFile(keptSnapshot, 'kept')
    await writeFileSet(
      [
        { path: path.join(folder, 'migration.sql'), contents: 'new up' },
        { path: path.join(dirs().snapshots, 'main', 'users', '20240101000001.json'), contents: 'new snapshot' },
      ],
      { stagingDir: dirs().staging, remove: [folder, oldSnapshot] },
    )
    expect(await projectFiles(tempDir())).toEqual({
      'migrations/main/20240101000000_old/migration.sql': 'new up',
      'resource_snapshots/main/users/20230101000000.json': 'kept',
      'resource_snapshots/main/users/20240101000001.json': 'new snapshot',
    })
  })

  test('refuses to remove the staging folder or a folder holding it', async () => {
    const error = await rejection(writeFileSet([], { stagingDir: dirs().staging, remove: [tempDir()] }))
    expect(error.code).toBe('invalid_file_set')
    expect(error.message).toContain('overlaps the staging folder')
  })

  test('an empty set writes nothing, not even the staging folder', async () => {
    await writeFileSet([], { stagingDir: dirs().staging })
    expect(await readdir(tempDir())).toEqual([])
  })

  test('a failure before the commit point leaves nothing behind', async () => {
    const entries = generateRunEntries(tempDir(), { tables: 3, migrations: 1 })
    const failing = writeFileSet(entries, {
      stagingDir: dirs().staging,
      onProgress: (event) => {
        if (event.kind === 'staged') throw new Error('disk full')
      },
    })
    await expect(failing).rejects.toThrow('disk full')
    expect(await projectFiles(tempDir())).toEqual({})
    expect(await runFolders(dirs().staging)).toEqual([])
  })
})

describe('recoverFileSet', () => {
  const tempDir = useTempDir()
  const dirs = () => projectDirs(tempDir())

  test('has nothing to do without a staging folder, or with only a lock in it', async () => {
    expect(await recoverFileSet(dirs().staging)).toBe('none')
    await mkdir(dirs().staging, { recursive: true })
    await writeFile(path.join(dirs().staging, 'generate.lock'), '{}')
    expect(await recoverFileSet(dirs().staging)).toBe('none')
  })

  test('finishes a committed run that stopped after the commit point', async () => {
    await prepareProject(tempDir())
    const entries = generateRunEntries(tempDir(), { tables: 10, migrations: 2 })
    const stopped = writeFileSet(entries, {
      stagingDir: dirs().staging,
      onProgress: (event) => {
        if (event.kind === 'placed') throw new Error('stopped after placing one unit')
      },
    })
    await expect(stopped).rejects.toThrow('stopped after placing one unit')
    const partial = Object.keys(await projectFiles(tempDir())).length
    expect(partial).toBe(3)
    expect(await recoverFileSet(dirs().staging)).toBe('completed')
    expect(await projectFiles(tempDir())).toEqual(expectedTree(tempDir(), entries))
    expect(await runFolders(dirs().staging)).toEqual([])
    expect(await recoverFileSet(dirs().staging)).toBe('none')
  })

  test('does not repeat deletions once files are being placed (they could be the files just placed)', async () => {
    const folder = path.join(dirs().migrations, 'main', '20240101000000_regen')
    await mkdir(folder, { recursive: true })
    await writeFile(path.join(folder, 'migration.sql'), 'old')
    const entries = [
      { path: path.join(folder, 'migration.sql'), contents: 'new' },
      { path: path.join(dirs().snapshots, 'main', 'users', '20240101000000.json'), contents: '{}' },
    ]
    const stopped = writeFileSet(entries, {
      stagingDir: dirs().staging,
      remove: [folder],
      onProgress: (event) => {
        if (event.kind === 'placed') throw new Error('stopped')
      },
    })
    await expect(stopped).rejects.toThrow('stopped')
    expect(await recoverFileSet(dirs().staging)).toBe('completed')
    expect(await projectFiles(tempDir())).toEqual(expectedTree(tempDir(), entries))
  })

  test('a manifest it cannot read fails naming it, and keeps the run for inspection', async () => {
    const runDir = path.join(dirs().staging, 'run-abc123')
    await mkdir(runDir, { recursive: true })
    await writeFile(path.join(runDir, 'manifest.json'), '{"version": 1, "units": [{"staged": "../../etc"}]}')
    const error = await rejection(recoverFileSet(dirs().staging))
    expect(error.code).toBe('staging_corrupt')
    expect(error.file).toBe(path.join(runDir, 'manifest.json'))
    expect(error.message).toContain(`then delete ${runDir}`)
    expect(await runFolders(dirs().staging)).toEqual(['run-abc123'])
  })
})
