/**
 * `--local`: the migrator opens the local D1 state wrangler dev uses (`<persistTo>/v3/d1`, keyed by the
 * database id) through Miniflare, and disposes it. The main entry never loads Miniflare by itself.
 */
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { migrate, status } from '../migrator/index.js'
import { d1Rows, startLocalD1 } from '../test-utils/local-d1.js'
import { moduleGraph } from '../test-utils/worker-modules.js'
import { createD1Project, type D1Project, d1Repo, firstSchema } from './__fixtures__/d1-project.js'

let project: D1Project
beforeAll(async () => {
  project = await createD1Project()
  await project.generateAt(firstSchema, 1, 'family')
})
afterAll(async () => {
  await project?.project.remove()
})

test('migrate / status --local work on the persisted state wrangler dev reads', async () => {
  const repo = { ...d1Repo, databaseId: 'local-db-id', persistTo: 'state' }
  const base = project.config(firstSchema)
  const config = { ...base, repos: base.repos.map((entry) => ({ ...entry, repo })) }

  const result = await migrate(config, { repo: 'edge', local: true })
  expect(result.databases[0]).toMatchObject({ url: 'd1:DB (local)', results: [{ status: 'success' }] })
  expect((await status(config, { repo: 'edge', local: true })).databases[0]?.migrations.map((m) => m.state)).toEqual([
    'applied',
  ])

  // What wrangler dev would open: the same persist directory and database id.
  const dev = await startLocalD1({
    bindings: ['DB'],
    d1Databases: { DB: 'local-db-id' },
    d1Persist: join(project.project.cwd, 'state', 'v3', 'd1'),
  })
  try {
    const tables = await d1Rows(
      await dev.binding('DB'),
      `SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'users'`,
    )
    expect(tables).toEqual([{ name: 'users' }])
  } finally {
    await dev.dispose()
  }
})

test('a D1 repo without a binding is reported with the way to reach it; a libSQL repo refuses --local', async () => {
  const config = project.config(firstSchema)
  const result = await migrate(config)
  expect(result.ok).toBe(false)
  expect(result.databases[0]?.error?.code).toBe('d1_binding_required')
  expect(result.databases[0]?.error?.message).toMatch(/migrate\(config, \{ repo: 'edge', d1: env\.DB \}\).*--local/s)

  const libsql = {
    ...config,
    repos: config.repos.map((entry) => ({ ...entry, repo: { kind: 'repo' as const, name: 'edge', url: 'file:x.db' } })),
  }
  await expect(migrate(libsql, { repo: 'edge', local: true })).rejects.toThrow(/not a D1 repo/)
})

test("the migrator's main entry does not load miniflare (only --local imports it, lazily)", () => {
  const graph = moduleGraph('index.ts', '/main', { compile: false })
  expect(graph.external.map((entry) => entry.specifier)).not.toContain('miniflare')
  expect(graph.modules.map((module) => module.path)).not.toContain('/main/d1/local.js')
})
