/**
 * `pull` from a real libSQL server (sqld, with a JWT): the same round trip as on files, the token never
 * written into the module, `status --drift` clean right after.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createClient } from '@libsql/client'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { drift } from '../drift/drift.js'
import { generate } from '../generator/generate.js'
import { migrate } from '../migrator/migrate.js'
import { type SqldServer, startSqld } from '../test-utils/sqld.js'
import { createTempProject, type TempProject } from '../test-utils/temp-project.js'
import { pull } from './pull.js'
import { configWithModule } from './test-utils/round-trip.js'

let server: SqldServer
let project: TempProject
beforeAll(async () => {
  server = await startSqld({ auth: true })
  project = await createTempProject()
})
afterAll(async () => {
  delete process.env.MAIN_DB_AUTH_TOKEN
  await server?.stop()
  await project?.remove()
})

describe('pull from sqld', () => {
  test('Chinook on a libSQL server: pulled, recorded there, no drift, nothing to generate', async () => {
    const client = createClient({ url: server.url, authToken: server.authToken })
    await client.executeMultiple(await readFile(new URL('./__fixtures__/chinook.sql', import.meta.url), 'utf8'))
    client.close()
    const layout = {
      cwd: project.dir,
      migrationsDir: join(project.dir, 'migrations'),
      snapshotsDir: join(project.dir, 'resource_snapshots'),
    }
    const result = await pull(layout, {
      repo: 'main',
      url: server.url,
      authToken: server.authToken,
      out: 'src/resources.ts',
    })
    expect(result.tables).toHaveLength(11)
    expect(result.recordedOn).toEqual([server.url])
    const module = await readFile(result.module, 'utf8')
    expect(module).not.toContain(String(server.authToken))
    expect(module).toContain('authToken: process.env.MAIN_DB_AUTH_TOKEN,')

    process.env.MAIN_DB_AUTH_TOKEN = server.authToken
    const config = await configWithModule(project, result.module)
    expect((await generate(config, { check: true })).changed).toBe(false)
    expect((await migrate(config)).databases[0]?.results).toEqual([])
    const checked = await drift(config)
    expect(checked.ok).toBe(true)
    expect(checked.databases[0]?.differences).toEqual([])
  }, 120_000)
})
