import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { recoverFileSet } from './file-set.js'
import { fixtureScript, startChild } from './test-utils/child-process.js'
import {
  expectedTree,
  generateRunEntries,
  prepareProject,
  projectDirs,
  projectFiles,
  runFolders,
} from './test-utils/generate-run.js'
import { usePackageBuild } from './test-utils/package-build.js'
import { useTempDir } from './test-utils/temp-dir.js'

// These tests SIGKILL a real Node process in the middle of writeFileSet, then recover in this process.
describe('writeFileSet killed midway', () => {
  const packageUrl = usePackageBuild()
  const tempDir = useTempDir()

  async function runChild(pauseAt: 'staged' | 'committed' | 'placed' | 'never', pauseAtPlaced = 1) {
    await prepareProject(tempDir())
    const entries = generateRunEntries(tempDir(), { tables: 150, migrations: 4 })
    const configFile = path.join(tempDir(), 'child-config.json')
    const stagingDir = projectDirs(tempDir()).staging
    await writeFile(configFile, JSON.stringify({ entries, stagingDir, pauseAt, pauseAtPlaced }))
    const child = startChild(fixtureScript('write-file-set-child.mjs'), [packageUrl(), configFile])
    try {
      await child.waitForLine(pauseAt === 'never' ? 'DONE' : 'PAUSED')
    } finally {
      await child.kill()
    }
    const { 'child-config.json': _, ...files } = await projectFiles(tempDir())
    return { entries, stagingDir, files }
  }

  test('the child harness writes everything when not paused', async () => {
    const { entries, stagingDir, files } = await runChild('never')
    expect(files).toEqual(expectedTree(tempDir(), entries))
    expect(await runFolders(stagingDir)).toEqual([])
  })

  test('killed before the manifest: recovery discards the run and no file appears', async () => {
    const { stagingDir, files } = await runChild('staged')
    expect(files).toEqual({})
    expect(await runFolders(stagingDir)).toHaveLength(1)

    expect(await recoverFileSet(stagingDir)).toBe('discarded')
    expect(await projectFiles(tempDir())).toEqual({ 'child-config.json': expect.any(String) })
    expect(await runFolders(stagingDir)).toEqual([])
    expect(await recoverFileSet(stagingDir)).toBe('none')
  })

  test('killed right after the manifest: recovery puts every file in place', async () => {
    const { entries, stagingDir, files } = await runChild('committed')
    expect(files).toEqual({})

    expect(await recoverFileSet(stagingDir)).toBe('completed')
    const { 'child-config.json': _, ...recovered } = await projectFiles(tempDir())
    expect(recovered).toEqual(expectedTree(tempDir(), entries))
    expect(await runFolders(stagingDir)).toEqual([])
  })

  test('killed while placing files: recovery places the rest', async () => {
    const { entries, stagingDir, files } = await runChild('placed', 3)
    // Three migration folders of three files each are in place, nothing else.
    expect(Object.keys(files)).toHaveLength(9)

    expect(await recoverFileSet(stagingDir)).toBe('completed')
    const { 'child-config.json': _, ...recovered } = await projectFiles(tempDir())
    expect(recovered).toEqual(expectedTree(tempDir(), entries))
    expect(await runFolders(stagingDir)).toEqual([])
  })
})
