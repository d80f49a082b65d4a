import { mkdir, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { TableState } from '@ash-sqlite/resource'
import { describe, expect, test } from 'vitest'
import { SnapshotError } from './errors.js'
import { writeFileSet } from './file-set.js'
import { loadLatestSnapshots } from './load-snapshots.js'
import { createSnapshot, hashTableState, serializeSnapshot, snapshotDigest } from './snapshot.js'
import { snapshotPath } from './snapshot-path.js'
import { plainState, usersState } from './test-utils/table-state.js'
import { useTempDir } from './test-utils/temp-dir.js'

describe('loadLatestSnapshots', () => {
  const tempDir = useTempDir()
  const snapshotsDir = () => path.join(tempDir(), 'resource_snapshots')
  const repoDir = (repo = 'main') => path.join(snapshotsDir(), repo)

  async function writeRaw(repo: string, table: string, timestamp: string, text: string): Promise<string> {
    const file = path.join(snapshotsDir(), ...snapshotPath(repo, table, timestamp).split('/'))
    await mkdir(path.dirname(file), { recursive: true })
    await writeFile(file, text)
    return file
  }

  const writeState = (state: TableState, timestamp: string) =>
    writeRaw(state.repo, state.table, timestamp, serializeSnapshot(createSnapshot(state)))

  async function loadError(): Promise<SnapshotError> {
    const error = await loadLatestSnapshots(repoDir()).catch((caught: unknown) => caught)
    if (!(error instanceof SnapshotError)) throw new Error(`expected a SnapshotError, got ${String(error)}`)
    return error
  }

  test('a missing repo folder has no snapshots', async () => {
    expect(await loadLatestSnapshots(repoDir())).toEqual(new Map())
  })

  test('snapshots written with writeFileSet load back equal, keyed by table in name order', async () => {
    const states = [usersState(), plainState('main', 'teams'), plainState('main', 'accounts')]
    await writeFileSet(
      states.map((state) => ({
        path: path.join(snapshotsDir(), ...snapshotPath(state.repo, state.table, '20240101000000').split('/')),
        contents: serializeSnapshot(createSnapshot(state)),
      })),
      { stagingDir: path.join(tempDir(), '.ash-sqlite', 'staging') },
    )
    const loaded = await loadLatestSnapshots(repoDir())
    expect([...loaded.keys()]).toEqual(['accounts', 'teams', 'users'])
    expect(loaded.get('users')).toEqual({
      file: path.join(repoDir(), 'users', '20240101000000.json'),
      timestamp: '20240101000000',
      snapshot: createSnapshot(usersState()),
      hash: hashTableState(usersState()),
      digest: snapshotDigest(serializeSnapshot(createSnapshot(usersState()))),
    })
    for (const state of states) expect(loaded.get(state.table)?.snapshot.hash).toBe(hashTableState(state))
  })

  test('a file whose text has a trusted digest is only parsed; any other text is checked in full', async () => {
    const state = usersState()
    const text = serializeSnapshot(createSnapshot(state))
    await writeRaw('main', 'users', '20240101000000', text)
    const trustedDigests = new Set([snapshotDigest(text)])
    expect((await loadLatestSnapshots(repoDir(), { trustedDigests })).get('users')?.snapshot.hash).toBe(
      hashTableState(state),
    )
    const loaded = (await loadLatestSnapshots(repoDir(), { trustedDigests })).get('users')
    expect(loaded?.hash).toBe(hashTableState(state))
    expect(loaded?.snapshot).toEqual(createSnapshot(state))
    // A trusted text in another table's folder is still refused.
    await writeRaw('main', 'teams', '20240101000000', text)
    await expect(loadLatestSnapshots(repoDir(), { trustedDigests })).rejects.toMatchObject({
      code: 'snapshot_mismatch',
    })
    await rm(path.join(repoDir(), 'teams'), { recursive: true })
    // The same state edited by hand, its hash left as it was: a new text, so a full check, which fails.
    const edited = JSON.parse(text)
    edited.state.strict = !edited.state.strict
    await writeRaw('main', 'users', '20240101000000', JSON.stringify(edited, null, 2))
    await expect(loadLatestSnapshots(repoDir(), { trustedDigests })).rejects.toMatchObject({
      code: 'snapshot_mismatch',
    })
  })

  test('the newest file of each table wins, and older ones are not even parsed', async () => {
    await writeRaw('main', 'users', '20230101000000', 'not json: older files are only listed')
    await writeState(usersState({ strict: false }), '20240101000000')
    await writeState(usersState(), '20240102000000')
    await writeState(usersState({ baseFilterSql: 'x' }), '20231231235959')
    await writeState(plainState('main', 'teams'), '20220101000000')
    const loaded = await loadLatestSnapshots(repoDir())
    expect(loaded.get('users')?.timestamp).toBe('20240102000000')
    expect(loaded.get('users')?.snapshot.state).toEqual(usersState())
    expect(loaded.get('teams')?.timestamp).toBe('20220101000000')
  })

  test('non-.json files, dot entries, loose files and empty table folders are skipped', async () => {
    await writeState(usersState(), '20240101000000')
    const users = path.join(repoDir(), 'users')
    // Every skipped file is garbage and newer: reading any of them would fail the load.
    await writeFile(path.join(users, '20990101000000.json.tmp'), 'x')
    await writeFile(path.join(users, 'notes.txt'), 'x')
    await writeFile(path.join(users, '.20990101000000.json'), 'x')
    await mkdir(path.join(repoDir(), '.staging', 'users'), { recursive: true })
    await writeFile(path.join(repoDir(), '.staging', 'users', '20990101000000.json'), 'x')
    await writeFile(path.join(repoDir(), 'README.json'), 'x')
    await mkdir(path.join(repoDir(), 'empty'))
    const loaded = await loadLatestSnapshots(repoDir())
    expect([...loaded.keys()]).toEqual(['users'])
    expect(loaded.get('users')?.timestamp).toBe('20240101000000')
  })

  test('ignored files count as absent: the newest file left wins, a table with none left has no snapshot', async () => {
    await writeState(usersState({ strict: false }), '20240101000000')
    const newest = await writeState(usersState(), '20240102000000')
    // Ignored files are not read or name-checked: garbage here would fail the load otherwise.
    const misnamed = path.join(repoDir(), 'users', '20240103000000 copy.json')
    await writeFile(misnamed, 'x')
    const onlyTeams = await writeState(plainState('main', 'teams'), '20240101000000')
    await writeState(plainState('main', 'accounts'), '20240101000000')
    // Paths are compared resolved: an unnormalized spelling of a file still ignores it.
    const teamsSpelledOddly = [repoDir(), 'teams', '.', '20240101000000.json'].join(path.sep)
    expect(teamsSpelledOddly).not.toBe(onlyTeams)
    const ignore = new Set([newest, misnamed, teamsSpelledOddly])
    const loaded = await loadLatestSnapshots(repoDir(), { ignore })
    expect([...loaded.keys()]).toEqual(['accounts', 'users'])
    expect(loaded.get('users')?.timestamp).toBe('20240101000000')
    expect(loaded.get('users')?.snapshot.state).toEqual(usersState({ strict: false }))
    const unignored = await loadLatestSnapshots(repoDir(), { ignore: new Set([misnamed]) })
    expect(unignored.get('users')?.timestamp).toBe('20240102000000')
    expect(unignored.get('teams')?.timestamp).toBe('20240101000000')
  })

  test('corrupt JSON fails naming the file', async () => {
    const file = await writeRaw('main', 'users', '20240101000000', '{"version": 1, "repo": ')
    const error = await loadError()
    expect(error.code).toBe('snapshot_corrupt')
    expect(error.file).toBe(file)
    expect(error.message.startsWith(`${file}: is not valid JSON`)).toBe(true)
  })

  test('an unknown version fails naming the file', async () => {
    const file = await writeRaw('main', 'users', '20240101000000', JSON.stringify({ version: 7 }))
    const error = await loadError()
    expect(error.code).toBe('snapshot_unknown_version')
    expect(error.message.startsWith(`${file}: has snapshot version 7`)).toBe(true)
  })

  test('a hash that does not match the state fails naming the file', async () => {
    const snapshot = createSnapshot(usersState())
    const text = serializeSnapshot({ ...snapshot, state: { ...snapshot.state, strict: false } })
    const file = await writeRaw('main', 'users', '20240101000000', text)
    const error = await loadError()
    expect(error.code).toBe('snapshot_mismatch')
    expect(error.message.startsWith(`${file}: its "hash" does not match its "state"`)).toBe(true)
  })

  test('a snapshot in the folder of another table fails naming the file', async () => {
    const file = await writeRaw('main', 'people', '20240101000000', serializeSnapshot(createSnapshot(usersState())))
    const error = await loadError()
    expect(error.code).toBe('snapshot_mismatch')
    expect(error.message).toBe(
      `${file}: holds table "users" of repo "main", but it lies in the folder of table "people" of repo "main". ` +
        'Move it to main/users/ under the snapshots folder, or restore it from version control',
    )
  })

  test('a snapshot in the folder of another repo fails naming the file', async () => {
    const file = await writeRaw('other', 'users', '20240101000000', serializeSnapshot(createSnapshot(usersState())))
    const error = await loadLatestSnapshots(repoDir('other')).catch((caught: SnapshotError) => caught)
    expect(error).toBeInstanceOf(SnapshotError)
    expect((error as SnapshotError).code).toBe('snapshot_mismatch')
    expect((error as SnapshotError).file).toBe(file)
  })

  test('a .json file not named by a timestamp fails naming the file', async () => {
    await writeState(usersState(), '20240101000000')
    const file = path.join(repoDir(), 'users', '20240101000000 copy.json')
    await writeFile(file, 'x')
    const error = await loadError()
    expect(error.code).toBe('snapshot_bad_name')
    expect(error.file).toBe(file)
  })
})
