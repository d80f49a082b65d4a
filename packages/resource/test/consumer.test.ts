/**
 * The resource package as a user's project sees it: built to dist (ESM and CommonJS) and installed; a
 * CommonJS project (`"type": "commonjs"`, as `npm init` makes it) compiles its resources module with
 * `declaration: true`, then `require`s it and queries through drizzle with the domain's relations.
 */
import { execFile } from 'node:child_process'
import { cp, mkdir, mkdtemp, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { createStatements } from '../src/test-utils/ddl.js'

const run = promisify(execFile)
const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..')
const tsc = createRequire(join(packageDir, '..', '..', 'package.json')).resolve('typescript/bin/tsc')

let project: string
beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'ash-sqlite-consumer-'))
  const installed = join(project, 'node_modules', '@ash-sqlite', 'resource')
  await mkdir(installed, { recursive: true })
  // As published: without the workspace's source condition (src/ is not in the package).
  const manifest = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8'))
  for (const entry of Object.values(manifest.exports as Record<string, unknown>)) {
    if (typeof entry === 'object' && entry !== null) delete (entry as Record<string, unknown>)['@ash-sqlite/source']
  }
  await writeFile(join(installed, 'package.json'), JSON.stringify(manifest, null, 2))
  // Only the CommonJS half (`require` resolves to it), built into the installed copy so the workspace's own
  // dist/ is left alone.
  await tscRun(packageDir, ['-p', join(packageDir, 'tsconfig.cjs.json'), '--outDir', join(installed, 'dist', 'cjs')])
  await writeFile(join(installed, 'dist', 'cjs', 'package.json'), JSON.stringify({ type: 'commonjs' }))
  for (const dependency of ['drizzle-orm', '@libsql/client']) {
    const target = await realpath(join(packageDir, 'node_modules', dependency))
    await mkdir(dirname(join(project, 'node_modules', dependency)), { recursive: true })
    await symlink(target, join(project, 'node_modules', dependency), 'dir')
  }
  const consumer = join(packageDir, 'test', 'consumer')
  for (const entry of ['package.json', 'tsconfig.json', 'src']) {
    await cp(join(consumer, entry), join(project, entry), { recursive: true })
  }
}, 600_000)
afterAll(async () => {
  if (project) await rm(project, { recursive: true, force: true })
})

async function tscRun(cwd: string, args: string[]): Promise<void> {
  await run(process.execPath, [tsc, ...args], { cwd }).catch((error) => {
    throw new Error(`tsc ${args.join(' ')} failed:\n${String(error.stdout ?? '')}${String(error.stderr ?? '')}`)
  })
}

test('a CommonJS project compiles its resources with declaration: true, requires them and queries with relations', async () => {
  await tscRun(project, ['-p', join(project, 'tsconfig.json')])
  // A CommonJS module: compiled to require() calls, not import statements.
  expect(await readFile(join(project, 'dist', 'schema.js'), 'utf8')).toContain('require("@ash-sqlite/resource")')
  const declarations = await readFile(join(project, 'dist', 'schema.d.ts'), 'utf8')
  expect(declarations).toContain('export declare const User: import("@ash-sqlite/resource").Resource<"User", "users"')
  expect(declarations).not.toMatch(/node_modules|\/src\/|\/dist\//)

  // The compiled module, required here too, gives the DDL (drizzle-kit lives in this workspace only).
  const schema = createRequire(join(project, 'package.json'))('./dist/schema.js') as {
    blog: { tables: Record<string, never> }
  }
  const ddl = await createStatements(schema.blog.tables)
  const url = `file:${join(project, 'app.db')}`
  // A plain node process: no test runner, no export conditions, just CommonJS require.
  const script = [
    `const resolved = require.resolve('@ash-sqlite/resource')`,
    `require('./dist/run.js').run(${JSON.stringify(url)}, ${JSON.stringify(ddl)})`,
    '.then((result) => process.stdout.write(JSON.stringify({ ...result, resolved })))',
  ].join('\n')
  const { stdout } = await run(process.execPath, ['-e', script], { cwd: project, env: { PATH: process.env.PATH } })
  const { resolved, ...result } = JSON.parse(stdout)
  expect(resolved).toMatch(/dist[\\/]cjs[\\/]index\.js$/)
  expect(result).toEqual({
    users: [
      {
        email: 'ada@example.com',
        role: 'member',
        visits: '0',
        posts: [{ title: 'Engines' }],
        groups: [{ name: 'math' }],
      },
    ],
    title: 'Engines',
  })
}, 600_000)
