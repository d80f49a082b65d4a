/**
 * The Worker path: a Worker script in Miniflare imports the bundled migrations module that `generate` wrote
 * for a D1 repo and `@ash-sqlite/migrations/d1`, and migrates (rolls back, reads the status of) its own
 * binding on a request. The entry is compiled file by file from the sources, as a bundler would take it; the
 * Worker runs without nodejs_compat, so a `node:` import anywhere in that graph would fail to load.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { d1Rows, type LocalD1, startLocalD1 } from '../test-utils/local-d1.js'
import { moduleGraph } from '../test-utils/worker-modules.js'
import { createD1Project, type D1Project, firstSchema, rebuiltSchema } from './__fixtures__/d1-project.js'

const root = '/worker'
const workerScript = `
import migrations from './migrations.js'
import { migrate, rollback, status } from './ash/d1/index.js'

const commands = { migrate, rollback, status }

export default {
  async fetch(request, env) {
    const command = commands[new URL(request.url).pathname.slice(1)]
    if (command === undefined) return new Response('unknown command', { status: 404 })
    const result = await command(migrations, { d1: env.DB })
    return Response.json(result)
  },
}
`

let local: LocalD1
let project: D1Project
const graph = moduleGraph('d1/index.ts', join(root, 'ash'))

beforeAll(async () => {
  project = await createD1Project()
  await project.generateAt(firstSchema, 1, 'family')
  await project.generateAt(rebuiltSchema, 2, 'name_not_null')
  const bundle = await readFile(join(project.migrationsDir, 'migrations.js'), 'utf8')
  local = await startLocalD1({
    bindings: ['DB'],
    modulesRoot: root,
    modules: [
      { type: 'ESModule', path: join(root, 'main.js'), contents: workerScript },
      { type: 'ESModule', path: join(root, 'migrations.js'), contents: bundle },
      ...graph.modules,
    ],
  })
})
afterAll(async () => {
  await Promise.all([local?.dispose(), project?.project.remove()])
})

async function call(command: string): Promise<Record<string, any>> {
  const response = await local.miniflare.dispatchFetch(`http://worker/${command}`)
  expect(response.status).toBe(200)
  return (await response.json()) as Record<string, any>
}

test('the Worker entry imports no node: module and no package', () => {
  expect(graph.external).toEqual([])
  expect(graph.modules.map((module) => module.path)).toContain(join(root, 'ash', 'd1', 'apply.js'))
})

test('a Worker migrates, reports and rolls back its own binding from the bundled module', async () => {
  const migrated = await call('migrate')
  expect(migrated.ok).toBe(true)
  expect(migrated.databases[0].results.map((r: { status: string }) => r.status)).toEqual(['success', 'success'])

  const db = await local.binding('DB')
  expect(await d1Rows(db, 'SELECT name FROM __drizzle_migrations ORDER BY id')).toEqual([
    { name: '20260101000000_family' },
    { name: '20260102000000_name_not_null' },
  ])
  const statusResult = await call('status')
  expect(statusResult.databases[0].migrations.map((m: { state: string }) => m.state)).toEqual(['applied', 'applied'])

  await db.batch([
    db.prepare(`INSERT INTO users (name) VALUES ('ada')`),
    db.prepare('INSERT INTO posts (user_id) VALUES (1)'),
  ])
  const rolledBack = await call('rollback')
  expect(
    rolledBack.databases[0].results.map((r: { direction: string; status: string }) => [r.direction, r.status]),
  ).toEqual([['down', 'success']])
  expect(await d1Rows(db, 'SELECT user_id FROM posts')).toEqual([{ user_id: 1 }])
  expect((await call('migrate')).databases[0].results.map((r: { status: string }) => r.status)).toEqual(['success'])
  expect(await d1Rows(db, 'SELECT count(*) AS n FROM posts')).toEqual([{ n: 1 }])
})
