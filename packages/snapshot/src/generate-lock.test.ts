import { spawnSync } from 'node:child_process'
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { hostname } from 'node:os'
import path from 'node:path'
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, test } from 'vitest'
import { SnapshotError } from './errors.js'
import { withGenerateLock } from './generate-lock.js'
import { GENERATE_LOCK_FILE } from './layout.js'
import { fixtureScript, startChild } from './test-utils/child-process.js'
import { usePackageBuild } from './test-utils/package-build.js'
import { useTempDir } from './test-utils/temp-dir.js'

/** The pid of a process that has already exited. */
function deadPid(): number {
  const { pid } = spawnSync(process.execPath, ['-e', ''])
  if (pid === undefined) throw new Error('could not start a process')
  return pid
}

describe('withGenerateLock', () => {
  const packageUrl = usePackageBuild()
  const tempDir = useTempDir()
  const stagingDir = () => path.join(tempDir(), '.ash-sqlite', 'staging')
  const lockFile = () => path.join(stagingDir(), GENERATE_LOCK_FILE)

  test('holds a lock file naming this process while fn runs, returns its result, and cleans up', async () => {
    const result = await withGenerateLock(stagingDir(), async () => {
      const holder = JSON.parse(await readFile(lockFile(), 'utf8'))
      expect(holder).toMatchObject({ pid: process.pid, hostname: hostname() })
      return 42
    })
    expect(result).toBe(42)
    // The empty staging folder is not left in the project.
    expect(await readdir(path.dirname(stagingDir()))).toEqual([])
  })

  test('releases the lock when fn throws', async () => {
    await expect(withGenerateLock(stagingDir(), () => Promise.reject(new Error('boom')))).rejects.toThrow('boom')
    expect(await withGenerateLock(stagingDir(), async () => 'again')).toBe('again')
  })

  test('keeps a staging folder that still holds something (an interrupted run to recover)', async () => {
    await withGenerateLock(stagingDir(), () => mkdir(path.join(stagingDir(), 'run-abc')))
    expect(await readdir(stagingDir())).toEqual(['run-abc'])
  })

  test('runs in one process never overlap: each waits for the previous one', async () => {
    const log: string[] = []
    let active = 0
    const run = (name: string) =>
      withGenerateLock(
        stagingDir(),
        async () => {
          active++
          log.push(`${name} start (${active} active)`)
          for (let turn = 0; turn < 5; turn++) await nextTurn()
          await sleep(5)
          log.push(`${name} end`)
          active--
        },
        { pollMs: 1 },
      )
    await Promise.all(['a', 'b', 'c', 'd'].map(run))
    expect(log).toHaveLength(8)
    for (let index = 0; index < log.length; index += 2) {
      const name = log[index]?.slice(0, 1)
      expect(log[index]).toBe(`${name} start (1 active)`)
      expect(log[index + 1]).toBe(`${name} end`)
    }
  })

  test('a lock held by another live process: fails after waiting, naming the lock and the pid', async () => {
    const child = startChild(fixtureScript('hold-lock-child.mjs'), [packageUrl(), stagingDir()])
    try {
      await child.waitForLine('LOCKED')
      let ran = false
      const error = await withGenerateLock(
        stagingDir(),
        async () => {
          ran = true
        },
        { waitMs: 0 },
      ).catch((caught: unknown) => caught)
      expect(ran).toBe(false)
      expect(error).toBeInstanceOf(SnapshotError)
      expect((error as SnapshotError).code).toBe('generate_locked')
      expect((error as SnapshotError).file).toBe(lockFile())
      expect((error as SnapshotError).message).toContain(`(pid ${child.process.pid} on ${hostname()}, since `)
    } finally {
      await child.kill()
    }
    // The holder was SIGKILLed without releasing: its lock is stale now and is taken over.
    expect(await withGenerateLock(stagingDir(), async () => 'taken over', { waitMs: 0 })).toBe('taken over')
  })

  test('a stale lock of a dead process on this host is taken over', async () => {
    await mkdir(stagingDir(), { recursive: true })
    const stale = { pid: deadPid(), hostname: hostname(), startedAt: '2024-01-01T00:00:00.000Z', token: 'old' }
    await writeFile(lockFile(), JSON.stringify(stale))
    const holder = await withGenerateLock(stagingDir(), async () => JSON.parse(await readFile(lockFile(), 'utf8')), {
      waitMs: 0,
    })
    expect(holder.pid).toBe(process.pid)
    expect(await readdir(path.dirname(stagingDir()))).toEqual([])
  })

  test('an empty lock file (a run that died before filling it, e.g. on a full disk) is taken over at once', async () => {
    await mkdir(stagingDir(), { recursive: true })
    await writeFile(lockFile(), '')
    // waitMs 0: a lock judged live would fail at once with generate_locked instead of running fn.
    const holder = await withGenerateLock(stagingDir(), async () => JSON.parse(await readFile(lockFile(), 'utf8')), {
      waitMs: 0,
    })
    expect(holder.pid).toBe(process.pid)
  })

  test('a lock file is never seen empty while its holder lives (it is written in one step)', async () => {
    const seen: string[] = []
    const watcher = (async () => {
      for (let round = 0; round < 400; round++) {
        const text = await readFile(lockFile(), 'utf8').catch(() => undefined)
        if (text !== undefined) seen.push(text)
        await nextTurn()
      }
    })()
    for (let round = 0; round < 40; round++) await withGenerateLock(stagingDir(), async () => nextTurn())
    await watcher
    expect(seen.filter((text) => text === '')).toEqual([])
  })

  test('processes taking and releasing the lock back to back never fail (no ENOENT on the staging folder)', async () => {
    const children = [0, 1, 2, 3].map(() =>
      startChild(fixtureScript('lock-loop-child.mjs'), [packageUrl(), stagingDir(), '40']),
    )
    await Promise.all(children.map((child) => child.waitForLine('DONE')))
    expect(await readdir(path.dirname(stagingDir()))).toEqual([])
  })

  test('a lock of a process on another host is never taken over', async () => {
    await mkdir(stagingDir(), { recursive: true })
    const remote = { pid: deadPid(), hostname: `not-${hostname()}`, startedAt: '2024-01-01T00:00:00.000Z', token: 'x' }
    await writeFile(lockFile(), JSON.stringify(remote))
    const error = await withGenerateLock(stagingDir(), async () => {}, { waitMs: 0 }).catch((caught: unknown) => caught)
    expect((error as SnapshotError).code).toBe('generate_locked')
    expect(JSON.parse(await readFile(lockFile(), 'utf8'))).toEqual(remote)
  })
})
