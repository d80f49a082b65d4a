import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import { transpilePackage } from './child-process.js'

/** Transpile the package once for the test file's child processes; returns the URL of its index.js. */
export function usePackageBuild(): () => string {
  let outDir: string | undefined
  let url: string | undefined
  beforeAll(async () => {
    outDir = await mkdtemp(path.join(tmpdir(), 'ash-sqlite-snapshot-build-'))
    url = await transpilePackage(outDir)
  })
  afterAll(async () => {
    if (outDir !== undefined) await rm(outDir, { recursive: true, force: true })
  })
  return () => {
    if (url === undefined) throw new Error('usePackageBuild: only available inside a test')
    return url
  }
}
