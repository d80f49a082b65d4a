import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { buildPackages } from '../test-utils/build-packages.js'
import { runBin } from '../test-utils/run-bin.js'
import { createTempProject, type TempProject } from '../test-utils/temp-project.js'

// Through the real bin: a broken resources module is reported at the user's file, line and column, with the
// line itself, in the CLI's one-error format (no stack trace) and exit code 1.

const config =
  "import { defineConfig } from '@ash-sqlite/migrations'\nimport { accounts } from './src/domain'\nexport default defineConfig({ domains: [accounts] })\n"

const domain = [
  "import { attr, defineDomain, defineRepo, defineResource } from '@ash-sqlite/resource'",
  "const main = defineRepo({ name: 'main', url: 'file:data/main.db' })",
  'const User = defineResource({',
  "  name: 'User',",
  '  attributes: { id: attr.integerPrimaryKey(), name: attr.string() },',
  "  sqlite: { repo: main, table: 'users' },",
  '})',
  "export const accounts = defineDomain({ name: 'accounts', resources: [User] })",
  '',
].join('\n')

let project: TempProject | undefined

beforeAll(async () => {
  await buildPackages(['resource', 'snapshot', 'migrations'])
}, 180_000)

afterEach(async () => {
  await project?.remove()
  project = undefined
})

describe('ash-sqlite generate with a broken resources module (built bin)', () => {
  it('names the file, line and column of a syntax error and shows the line', async () => {
    project = await createTempProject({
      'ash-sqlite.config.ts': config,
      'src/domain.ts': domain.replace("  name: 'User',", "  name: 'User'"),
    })
    const run = await runBin(['generate'], { cwd: project.dir })

    expect(run.code).toBe(1)
    expect(run.stdout).toBe('')
    expect(run.stderr).toContain('src/domain.ts:5:3: SyntaxError: Expected `,` or `}` but found `Identifier`')
    expect(run.stderr).toContain('> 5 |   attributes: { id: attr.integerPrimaryKey(), name: attr.string() },')
    expect(run.stderr).not.toContain('    at ')
  })

  it('names the line of an error thrown while the module runs', async () => {
    project = await createTempProject({
      'ash-sqlite.config.ts': config,
      'src/domain.ts': domain.replace(
        'const User = defineResource({',
        'const User = (undefined as any).x ?? defineResource({',
      ),
    })
    const run = await runBin(['generate'], { cwd: project.dir })

    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/src\/domain\.ts:3:\d+: TypeError: Cannot read properties of undefined \(reading 'x'\)/)
    expect(run.stderr).toContain('> 3 | const User = (undefined as any).x ?? defineResource({')
  })
})
