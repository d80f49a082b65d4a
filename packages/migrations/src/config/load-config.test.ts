import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ConfigError } from '../errors.js'
import { buildPackages } from '../test-utils/build-packages.js'
import { createTempProject, type TempProject } from '../test-utils/temp-project.js'
import { loadConfig } from './load-config.js'

const usersResource = `
import { attr, defineDomain, defineRepo, defineResource } from '@ash-sqlite/resource'

export const main = defineRepo({ name: 'main', url: 'file:data/main.db' })

export const User = defineResource({
  name: 'User',
  attributes: { id: attr.integerPrimaryKey(), fullName: attr.string({ renamedFrom: 'name' }) },
  sqlite: { repo: main, table: 'users' },
})

export const accounts = defineDomain({ name: 'accounts', resources: [User] })
`

let project: TempProject

beforeAll(async () => {
  // Config files import the workspace packages through node_modules, which point at their dist/.
  await buildPackages(['resource', 'snapshot', 'migrations'])
}, 180_000)

afterEach(async () => {
  await project?.remove()
})

async function loadError(options: Parameters<typeof loadConfig>[0]): Promise<Error> {
  try {
    await loadConfig(options)
  } catch (error) {
    return error as Error
  }
  throw new Error('expected loadConfig to fail')
}

describe('loadConfig', () => {
  it('loads a TypeScript config that imports resources and defineConfig', async () => {
    project = await createTempProject({
      'src/domain.ts': usersResource,
      'ash-sqlite.config.ts': `
import { defineConfig } from '@ash-sqlite/migrations'
import { accounts } from './src/domain'
const migrationsDir: string = 'db/migrations'
export default defineConfig({ domains: [accounts], migrationsDir })
`,
    })
    const config = await loadConfig({ cwd: project.dir })

    expect(config.cwd).toBe(project.dir)
    expect(config.configFile).toBe(join(project.dir, 'ash-sqlite.config.ts'))
    expect(config.migrationsDir).toBe(join(project.dir, 'db', 'migrations'))
    expect(config.snapshotsDir).toBe(join(project.dir, 'resource_snapshots'))
    expect(config.repos.map((repo) => repo.name)).toEqual(['main'])
    expect(config.repos[0]?.tables.map((table) => table.table)).toEqual(['users'])
    expect(config.repos[0]?.tables[0]?.columns.map((column) => column.source)).toEqual(['id', 'full_name'])
    expect(config.repos[0]?.renames).toEqual({ tables: {}, columns: { users: { full_name: 'name' } } })
  })

  it('loads an .mjs config', async () => {
    project = await createTempProject({
      'ash-sqlite.config.mjs': `
import { attr, defineDomain, defineRepo, defineResource } from '@ash-sqlite/resource'
const repo = defineRepo({ name: 'reports', url: 'file:reports.db' })
const Report = defineResource({ name: 'Report', attributes: { id: attr.integerPrimaryKey() }, sqlite: { repo, table: 'reports' } })
export default { domains: [defineDomain({ name: 'reporting', resources: [Report] })], snapshotsDir: 'snapshots' }
`,
    })
    const config = await loadConfig({ cwd: project.dir })

    expect(config.configFile).toBe(join(project.dir, 'ash-sqlite.config.mjs'))
    expect(config.snapshotsDir).toBe(join(project.dir, 'snapshots'))
    expect(config.repos.map((repo) => repo.name)).toEqual(['reports'])
  })

  it('prefers ash-sqlite.config.ts over the other names', async () => {
    project = await createTempProject({
      'ash-sqlite.config.mjs': 'export default { domains: [], migrationsDir: "from-mjs" }\n',
      'ash-sqlite.config.js': 'export default { domains: [], migrationsDir: "from-js" }\n',
      'ash-sqlite.config.ts': 'export default { domains: [], migrationsDir: "from-ts" }\n',
    })
    expect((await loadConfig({ cwd: project.dir })).migrationsDir).toBe(join(project.dir, 'from-ts'))
  })

  it('loads the file named by configFile, relative to cwd', async () => {
    project = await createTempProject({
      'ash-sqlite.config.ts': 'export default { domains: [], migrationsDir: "default" }\n',
      'config/other.config.mts': 'export default { domains: [], migrationsDir: "other" }\n',
    })
    const config = await loadConfig({ cwd: project.dir, configFile: 'config/other.config.mts' })

    expect(config.configFile).toBe(join(project.dir, 'config', 'other.config.mts'))
    expect(config.migrationsDir).toBe(join(project.dir, 'other'))
  })

  it('explains a missing config file: where it looked, which names, and --config', async () => {
    project = await createTempProject({ 'package.json': '{ "workspaces": ["packages/*"] }\n' })
    const error = await loadError({ cwd: project.dir })

    expect(error).toBeInstanceOf(ConfigError)
    expect(error.message).toBe(
      `No ash-sqlite config file in ${project.dir} (looked for ash-sqlite.config.ts, ash-sqlite.config.mts, ` +
        'ash-sqlite.config.cts, ash-sqlite.config.js, ash-sqlite.config.mjs, ash-sqlite.config.cjs).\n' +
        'Create one that does `export default defineConfig({ domains: [...] })`, or pass --config PATH.',
    )
  })

  it('walks up from a subfolder to the config, and resolves its paths from the config folder', async () => {
    project = await createTempProject({
      'pnpm-workspace.yaml': 'packages: []\n',
      'src/domain.ts': usersResource,
      'src/deep/.keep': '',
      'ash-sqlite.config.ts': `
import { accounts } from './src/domain'
export default { domains: [accounts], migrationsDir: 'db/migrations' }
`,
    })
    const config = await loadConfig({ cwd: join(project.dir, 'src', 'deep') })
    expect(config.configFile).toBe(join(project.dir, 'ash-sqlite.config.ts'))
    expect(config.cwd).toBe(project.dir)
    expect(config.migrationsDir).toBe(join(project.dir, 'db', 'migrations'))
  })

  it('stops looking at the workspace root, naming how far it looked', async () => {
    project = await createTempProject({
      // A config above the workspace root belongs to something else and is never picked up.
      'ash-sqlite.config.mjs': 'export default { domains: [] }\n',
      'repo/.git/HEAD': 'ref: refs/heads/main\n',
      'repo/packages/app/src/.keep': '',
    })
    const start = join(project.dir, 'repo', 'packages', 'app', 'src')
    const error = await loadError({ cwd: start })
    expect(error.message.split(' (looked for')[0]).toBe(
      `No ash-sqlite config file in ${start} or its parents up to ${join('..', '..', '..')}`,
    )
  })

  it('loads a CommonJS config (.cjs with module.exports, and tsc-style exports.default)', async () => {
    project = await createTempProject({
      'ash-sqlite.config.cjs': "module.exports = { domains: [], migrationsDir: 'from-cjs' }\n",
      'other.config.cjs':
        "Object.defineProperty(exports, '__esModule', { value: true })\nexports.default = { domains: [], migrationsDir: 'compiled' }\n",
      'empty.config.cjs': 'const unused = 1\n',
    })
    expect((await loadConfig({ cwd: project.dir })).migrationsDir).toBe(join(project.dir, 'from-cjs'))
    const compiled = await loadConfig({ cwd: project.dir, configFile: 'other.config.cjs' })
    expect(compiled.migrationsDir).toBe(join(project.dir, 'compiled'))
    expect((await loadError({ cwd: project.dir, configFile: 'empty.config.cjs' })).message).toBe(
      'empty.config.cjs: domains is missing: list your domains, e.g. defineConfig({ domains: [blog] })',
    )
  })

  it('names a configFile that does not exist', async () => {
    project = await createTempProject()
    const error = await loadError({ cwd: project.dir, configFile: 'nope.config.ts' })

    expect(error.message).toBe(
      `Config file nope.config.ts not found (looked for ${join(project.dir, 'nope.config.ts')}). Check the --config path.`,
    )
  })

  it('names a working directory that does not exist', async () => {
    project = await createTempProject()
    const missing = join(project.dir, 'missing')
    expect((await loadError({ cwd: missing })).message).toBe(
      `Working directory ${missing} does not exist. Check the --cwd path.`,
    )
  })

  it('reports a syntax error in the config with its line, column and a code frame', async () => {
    project = await createTempProject({ 'ash-sqlite.config.ts': 'const x: number =\nexport default { domains: [] }\n' })
    const error = await loadError({ cwd: project.dir })

    expect(error).toBeInstanceOf(ConfigError)
    expect(error.message).toBe(
      [
        'ash-sqlite.config.ts:2:1: SyntaxError: Unexpected token',
        '  1 | const x: number =',
        '> 2 | export default { domains: [] }',
        '    | ^',
      ].join('\n'),
    )
  })

  it("reports a syntax error in an imported resources module at its own line, not the config's", async () => {
    project = await createTempProject({
      'ash-sqlite.config.ts': "import { accounts } from './src/domain'\nexport default { domains: [accounts] }\n",
      'src/domain.ts': `${usersResource}\nconst broken = { a: 1 2 }\n`,
    })
    const error = await loadError({ cwd: project.dir })

    expect(error).toBeInstanceOf(ConfigError)
    const line = usersResource.split('\n').length + 1
    expect(error.message).toBe(
      [
        `src/domain.ts:${line}:23: SyntaxError: Expected \`,\` or \`}\` but found \`decimal\` (while loading ash-sqlite.config.ts)`,
        `  ${line - 1} | `.trimEnd(),
        `> ${line} | const broken = { a: 1 2 }`,
        `  ${' '.repeat(String(line).length)} |                       ^`,
      ].join('\n'),
    )
  })

  it("maps an error thrown while a TypeScript module runs back to the user's line and column", async () => {
    // Types, an interface and imports that the transform removes or moves: the position must still be the user's.
    project = await createTempProject({
      'ash-sqlite.config.ts': "import { accounts } from './src/domain'\nexport default { domains: [accounts] }\n",
      'src/domain.ts': [
        "import type { Resource } from '@ash-sqlite/resource'",
        "import { defineDomain } from '@ash-sqlite/resource'",
        'interface Options {',
        '  readonly name: string',
        '}',
        'const options: Options | undefined = undefined as Options | undefined',
        'export const resources: Resource[] = []',
        'export const accounts = defineDomain({ name: options!.name, resources })',
        '',
      ].join('\n'),
    })
    const error = await loadError({ cwd: project.dir })

    expect(error).toBeInstanceOf(ConfigError)
    expect(error.message.split('\n')[0]).toMatch(
      /^src\/domain\.ts:8:\d+: TypeError: Cannot read properties of undefined \(reading 'name'\) \(while loading ash-sqlite\.config\.ts\)$/,
    )
    expect(error.message).toContain('> 8 | export const accounts = defineDomain({ name: options!.name, resources })')
  })

  it('loads and reports positions the same way with the Babel fallback (ASH_SQLITE_TRANSFORM=babel)', async () => {
    project = await createTempProject({
      'src/domain.ts': usersResource,
      'ash-sqlite.config.ts': "import { accounts } from './src/domain'\nexport default { domains: [accounts] }\n",
    })
    process.env.ASH_SQLITE_TRANSFORM = 'babel'
    try {
      const config = await loadConfig({ cwd: project.dir })
      expect(config.repos[0]?.tables.map((table) => table.table)).toEqual(['users'])
      await project.write({ 'src/domain.ts': `${usersResource}\nconst broken = { a: 1 2 }\n` })
      const error = await loadError({ cwd: project.dir })
      const line = usersResource.split('\n').length + 1
      expect(error.message).toContain(`src/domain.ts:${line}:`)
      expect(error.message).toContain(`> ${line} | const broken = { a: 1 2 }`)
    } finally {
      delete process.env.ASH_SQLITE_TRANSFORM
    }
  })

  it('loads a module again from the transform cache, and sees an edit that invalidates it', async () => {
    project = await createTempProject({
      'src/domain.ts': usersResource,
      'ash-sqlite.config.ts': "import { accounts } from './src/domain'\nexport default { domains: [accounts] }\n",
    })
    const tables = async () => (await loadConfig({ cwd: project.dir })).repos[0]?.tables.map((table) => table.table)
    expect(await tables()).toEqual(['users'])
    expect(await tables()).toEqual(['users'])
    await project.write({ 'src/domain.ts': usersResource.replace("table: 'users'", "table: 'people'") })
    expect(await tables()).toEqual(['people'])
  })

  it('reports a failing import of the config with the first line of the cause', async () => {
    project = await createTempProject({
      'ash-sqlite.config.ts': "import { blog } from './src/missing'\nexport default { domains: [blog] }\n",
    })
    const error = await loadError({ cwd: project.dir })

    expect(error.message).toBe("Cannot load ash-sqlite.config.ts: Cannot find module './src/missing'")
  })

  it('rethrows a ResourceDefinitionError from the resources as it is', async () => {
    project = await createTempProject({
      'ash-sqlite.config.ts': `
import { attr, defineRepo, defineResource } from '@ash-sqlite/resource'
const repo = defineRepo({ name: 'main', url: 'file:main.db' })
defineResource({ name: 'User', attributes: { id: attr.integerPrimaryKey(), 'bad name': attr.string({ source: 'bad name' }) }, sqlite: { repo, table: 'users' } })
export default { domains: [] }
`,
    })
    const error = await loadError({ cwd: project.dir })

    expect(error.name).toBe('ResourceDefinitionError')
    expect((error as Error & { code: string }).code).toBe('invalid_identifier')
    expect(error.message).toBe(
      'User.attributes.bad name.source: column name "bad name" is not a plain SQL identifier. ' +
        'Use only ASCII letters, digits and underscores, not starting with a digit (e.g. "user_accounts")',
    )
  })

  it('reports an invalid config in one line', async () => {
    project = await createTempProject({
      'src/domain.ts': usersResource,
      'ash-sqlite.config.ts':
        "import { accounts, User } from './src/domain'\nexport default { domains: [accounts, User] }\n",
    })
    const error = await loadError({ cwd: project.dir })

    expect(error).toBeInstanceOf(ConfigError)
    expect(error.message).toBe('ash-sqlite.config.ts: domains[1] is not a domain created with defineDomain()')
  })

  it('reports a config without a default export', async () => {
    project = await createTempProject({ 'ash-sqlite.config.ts': 'export const config = { domains: [] }\n' })
    expect((await loadError({ cwd: project.dir })).message).toBe(
      'ash-sqlite.config.ts has no default export: add `export default defineConfig({ domains: [...] })`.',
    )
  })

  it('sees the current contents when the same file is loaded twice', async () => {
    project = await createTempProject({
      'ash-sqlite.config.ts': 'export default { domains: [], migrationsDir: "one" }\n',
    })
    expect((await loadConfig({ cwd: project.dir })).migrationsDir).toBe(join(project.dir, 'one'))
    await project.write({ 'ash-sqlite.config.ts': 'export default { domains: [], migrationsDir: "two" }\n' })
    expect((await loadConfig({ cwd: project.dir })).migrationsDir).toBe(join(project.dir, 'two'))
  })
})
