import { spawnSync } from 'node:child_process'
import { chmod, readdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { fixtureScript } from './test-utils/child-process.js'
import { generateRunEntries, prepareProject, projectDirs, projectFiles } from './test-utils/generate-run.js'
import { usePackageBuild } from './test-utils/package-build.js'
import { useTempDir } from './test-utils/temp-dir.js'

// Root ignores permission bits, so as root the write runs as the unprivileged user `nobody` instead.
const NOBODY = 65534
const isRoot = process.getuid?.() === 0

describe('writeFileSet on a folder it may not write', () => {
  const packageUrl = usePackageBuild()
  const tempDir = useTempDir()

  test('refuses before committing anything, naming the folder and the missing permission', async () => {
    const root = tempDir()
    const dirs = projectDirs(root)
    await prepareProject(root)
    const entries = generateRunEntries(root, { tables: 2, migrations: 1 })
    // Everything writable for the child's user, except the folder of table t0's snapshots.
    for (const dir of [root, dirs.migrations, path.join(dirs.migrations, 'main'), dirs.snapshots]) {
      await chmod(dir, 0o777)
    }
    await chmod(path.join(dirs.snapshots, 'main'), 0o777)
    const locked = path.join(dirs.snapshots, 'main', 't0')
    await chmod(locked, 0o555)
    await chmod(path.dirname(fileURLToPath(packageUrl())), 0o755)
    const configFile = path.join(root, 'config.json')
    await writeFile(configFile, JSON.stringify({ entries, stagingDir: dirs.staging }))
    await chmod(configFile, 0o644)

    const child = spawnSync(process.execPath, [fixtureScript('write-file-set-once.mjs'), packageUrl(), configFile], {
      encoding: 'utf8',
      ...(isRoot ? { uid: NOBODY, gid: NOBODY } : {}),
    })
    expect(child.stderr).toBe('')
    const outcome = JSON.parse(child.stdout.trim())
    expect(outcome).toMatchObject({ ok: false, code: 'not_writable', file: locked })
    expect(outcome.message).toContain('write permission is missing (EACCES)')
    // Nothing placed: no migration folder, no new snapshot folder, no run left to "finish" later.
    expect(Object.keys(await projectFiles(root)).filter((file) => file !== 'config.json')).toEqual([])
    expect(await readdir(path.join(dirs.migrations, 'main'))).toEqual([])
    expect(await readdir(path.join(dirs.snapshots, 'main'))).toEqual(['t0'])
    expect(
      (await readdir(path.join(root, '.ash-sqlite', 'staging')).catch(() => [])).filter((n) => n.startsWith('run-')),
    ).toEqual([])
  })
})
