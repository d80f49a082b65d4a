import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { TableState } from '@ash-sqlite/resource'
import { describe, expect, test } from 'vitest'
import { loadTableLineages } from './lineage.js'
import { createSnapshot, hashTableState, serializeSnapshot } from './snapshot.js'
import { usersState } from './test-utils/table-state.js'
import { useTempDir } from './test-utils/temp-dir.js'

const stateWith = (columns: string[]): TableState => {
  const base = usersState()
  const template = base.columns[1]!
  return {
    ...base,
    columns: [...base.columns, ...columns.map((source) => ({ ...template, source, attribute: source }))],
  }
}

describe('loadTableLineages', () => {
  const tempDir = useTempDir()
  const repoDir = () => path.join(tempDir(), 'main')

  async function write(timestamp: string, state: TableState, previous?: TableState | 'none'): Promise<void> {
    const dir = path.join(repoDir(), state.table)
    await mkdir(dir, { recursive: true })
    const previousHash = previous === undefined || previous === 'none' ? undefined : hashTableState(previous)
    await writeFile(path.join(dir, `${timestamp}.json`), serializeSnapshot(createSnapshot(state, previousHash)))
  }

  const S0 = stateWith([])
  const SA = stateWith(['a'])
  const SB = stateWith(['b'])
  const SC = stateWith(['c'])

  test('a straight history has one head, the newest file', async () => {
    await write('20260101000000', S0)
    await write('20260101000001', SA, S0)
    const lineage = loadTableLineages(repoDir()).get('users')!
    expect(lineage.heads.map((head) => head.timestamp)).toEqual(['20260101000001'])
    expect(lineage.base).toBeNull()
  })

  test('snapshots without previousHash (older versions) descend from the file before them', async () => {
    await write('20260101000000', S0)
    await write('20260101000001', SA)
    await write('20260101000002', SB)
    expect(loadTableLineages(repoDir()).get('users')!.heads).toHaveLength(1)
  })

  test('two branches from one base: two heads and their base', async () => {
    await write('20260101000000', S0)
    await write('20260101000001', SA, S0)
    await write('20260101000002', SB, S0)
    const lineage = loadTableLineages(repoDir()).get('users')!
    expect(lineage.heads.map((head) => head.timestamp)).toEqual(['20260101000001', '20260101000002'])
    expect(lineage.base?.timestamp).toBe('20260101000000')
  })

  test('a fork deeper in the history is found although the newest file descends from the one before it', async () => {
    await write('20260101000000', S0)
    await write('20260101000001', SB, S0) // branch b
    await write('20260101000002', SA, S0) // branch a
    await write('20260101000003', SC, SA) // branch a again
    const lineage = loadTableLineages(repoDir()).get('users')!
    expect(lineage.heads.map((head) => head.timestamp)).toEqual(['20260101000001', '20260101000003'])
    expect(lineage.base?.timestamp).toBe('20260101000000')
  })

  test('a snapshot written on top of a merged union (its previousHash names no file) closes the fork', async () => {
    const union = stateWith(['a', 'b'])
    await write('20260101000000', S0)
    await write('20260101000001', SA, S0)
    await write('20260101000002', SB, S0)
    await write('20260101000003', stateWith(['a', 'b', 'c']), union)
    expect(
      loadTableLineages(repoDir())
        .get('users')!
        .heads.map((head) => head.timestamp),
    ).toEqual(['20260101000003'])
  })

  test('two branches that reached the same state are still a fork (each has its own migration)', async () => {
    await write('20260101000000', S0)
    await write('20260101000001', SA, S0)
    await write('20260101000002', SA, S0)
    expect(loadTableLineages(repoDir()).get('users')!.heads).toHaveLength(2)
  })

  test('ignored files count as absent', async () => {
    await write('20260101000000', S0)
    await write('20260101000001', SA, S0)
    await write('20260101000002', SB, S0)
    const ignore = new Set([path.join(repoDir(), 'users', '20260101000002.json')])
    const lineage = loadTableLineages(repoDir(), { ignore }).get('users')!
    expect(lineage.heads.map((head) => head.timestamp)).toEqual(['20260101000001'])
  })
})
