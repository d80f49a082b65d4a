import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { packageDir } from '../test-utils/temp-project.js'

// The README's Quick start, word for word, in a brand-new npm project outside the workspace, against the three
// packages as `pnpm pack` publishes them. npm reads the registry through its local cache (--prefer-offline).

const repoRoot = join(packageDir, '..', '..')
const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8')

type Step = { kind: 'file'; path: string; contents: string } | { kind: 'command'; line: string }

/** The code blocks of the README's "Quick start" section in order: files (first line `// path`) and commands. */
function quickStartSteps(): Step[] {
  const start = readme.indexOf('## Quick start in your own project')
  const end = readme.indexOf('\n## ', start + 1)
  const section = readme.slice(start, end)
  const steps: Step[] = []
  for (const [, language, body = ''] of section.matchAll(/```(\w+)\n([\s\S]*?)```/g)) {
    if (language === 'ts') {
      const [first = '', ...rest] = body.split('\n')
      const path = /^\/\/ (\S+)$/.exec(first)?.[1]
      if (path === undefined) throw new Error(`A ts block of the Quick start does not start with "// path": ${first}`)
      steps.push({ kind: 'file', path, contents: rest.join('\n') })
    } else if (language === 'sh') {
      for (const line of body.split('\n')) {
        const command = line.replace(/\s+#.*$/, '').trim()
        if (command !== '') steps.push({ kind: 'command', line: command })
      }
    }
  }
  return steps
}

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

let work: string
let project: string
let tarballs: Record<'resource' | 'snapshot' | 'migrations', string>

/** The test runner's environment minus what npm or pnpm set for their own child processes. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(npm_|pnpm_|NODE_OPTIONS$|INIT_CWD$|VITEST|CI$)/i.test(key)) env[key] = value
  }
  return {
    ...env,
    npm_config_prefer_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    NO_COLOR: '1',
  }
}

function sh(line: string, cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', line], { cwd, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
    })
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

async function ok(line: string, cwd = project): Promise<Run> {
  const run = await sh(line, cwd)
  if (run.code !== 0) throw new Error(`"${line}" exited ${run.code}:\n${run.stdout}\n${run.stderr}`)
  return run
}

/** The README's install line, with the ash-sqlite packages taken from the tarballs instead of the registry. */
function fromTarballs(line: string): string {
  if (!line.startsWith('npm install') || !line.includes('@ash-sqlite/')) return line
  return line
    .replace('@ash-sqlite/resource', tarballs.resource)
    .replace('@ash-sqlite/migrations', `${tarballs.migrations} ${tarballs.snapshot}`)
}

beforeAll(async () => {
  // Each package's own build script, as a release runs it (the CommonJS half included), then the tarballs.
  for (const name of ['resource', 'snapshot', 'migrations'])
    await ok('npm run build --silent', join(repoRoot, 'packages', name))
  work = await mkdtemp(join(tmpdir(), 'ash-sqlite-quick-start-'))
  const packs = join(work, 'packs')
  await ok(`npx --yes pnpm@10.34.9 -r --filter "./packages/*" pack --pack-destination "${packs}"`, repoRoot)
  const files = readdirSync(packs)
  const tarball = (name: string) => {
    const file = files.find((entry) => entry.startsWith(`ash-sqlite-${name}-`) && entry.endsWith('.tgz'))
    if (file === undefined) throw new Error(`pnpm pack wrote no tarball for ${name}: ${files.join(', ')}`)
    return join(packs, file)
  }
  tarballs = { resource: tarball('resource'), snapshot: tarball('snapshot'), migrations: tarball('migrations') }
  project = join(work, 'my-app')
  await mkdir(project)
  await writeFile(join(project, 'package.json'), `${JSON.stringify({ name: 'my-app', private: true }, null, 2)}\n`)
}, 300_000)

afterAll(async () => {
  if (work !== undefined) await rm(work, { recursive: true, force: true })
})

describe('the README Quick start, from packed packages, in a fresh npm project', () => {
  it('runs word for word; a production install migrates without drizzle-kit and generate says how to get it', async () => {
    const steps = quickStartSteps()
    // The section is what this test runs: it must keep installing, generating, migrating and checking.
    expect(steps.filter((step) => step.kind === 'command').map((step) => step.line)).toEqual([
      'npm install --save-exact drizzle-orm@1.0.0-rc.5 @ash-sqlite/resource @ash-sqlite/migrations @libsql/client',
      'npm install --save-dev --save-exact drizzle-kit@1.0.0-rc.5',
      'npx ash-sqlite create',
      'npx ash-sqlite generate --name initial',
      'npx ash-sqlite migrate',
      'npx ash-sqlite status --check',
      'npm prune --omit=dev',
      'npx ash-sqlite migrate',
    ])
    const outputs: Record<string, Run> = {}
    for (const step of steps) {
      if (step.kind === 'file') {
        await mkdir(dirname(join(project, step.path)), { recursive: true })
        await writeFile(join(project, step.path), step.contents)
      } else {
        outputs[step.line] = await ok(fromTarballs(step.line))
      }
    }

    const manifest = JSON.parse(await readFile(join(project, 'package.json'), 'utf8'))
    expect(manifest.dependencies['drizzle-orm']).toBe('1.0.0-rc.5')
    expect(manifest.devDependencies).toEqual({ 'drizzle-kit': '1.0.0-rc.5' })
    const [initial] = readdirSync(join(project, 'migrations', 'main'))
    expect(initial).toMatch(/^\d{14}_initial$/)
    expect(outputs['npx ash-sqlite status --check']?.stdout).toContain(`applied  ${initial}`)
    expect(outputs['npx ash-sqlite status --check']?.stdout).toContain('Every database is up to date.')

    // After `npm prune --omit=dev`: no drizzle-kit, and a fresh database still migrates.
    expect(existsSync(join(project, 'node_modules', 'drizzle-kit'))).toBe(false)
    await rm(join(project, 'data', 'app.db'))
    const migrated = await ok('npx ash-sqlite migrate')
    expect(migrated.stdout).toMatch(new RegExp(`✓ {2}${initial} {2}up`))
    await ok('npx ash-sqlite status --check')

    // A change to generate needs drizzle-kit: the error says how to install it, and nothing is written.
    const resources = join(project, 'src', 'db', 'resources.ts')
    await writeFile(
      resources,
      (await readFile(resources, 'utf8')).replace('name: attr.string(),', 'name: attr.string(), bio: attr.string(),'),
    )
    const generate = await sh('npx ash-sqlite generate', project)
    if (generate.code === 0) {
      // The generator writes some changes (an added column) without drizzle-kit: then it must have written them.
      expect(generate.stdout).toContain('Wrote 4 files.')
    } else {
      expect(generate.code, `generate without drizzle-kit:\n${generate.stdout}\n${generate.stderr}`).toBe(1)
      expect(generate.stderr).toBe(
        'Generating migrations needs drizzle-kit 1.0.0-rc.5, and it is not installed (applying them does not need it). ' +
          'Install it as a dev dependency: npm i -D drizzle-kit@1.0.0-rc.5\n',
      )
      expect(readdirSync(join(project, 'migrations', 'main'))).toEqual([initial])
    }

    // What the packages ship: maps that carry their sources, no declaration maps, no drizzle-kit dependency.
    const installed = join(project, 'node_modules', '@ash-sqlite')
    for (const name of ['resource', 'snapshot', 'migrations']) {
      const files = readdirSync(join(installed, name, 'dist'), { recursive: true, encoding: 'utf8' })
      expect(files.filter((file) => file.endsWith('.d.ts.map'))).toEqual([])
      const maps = files.filter((file) => file.endsWith('.js.map'))
      expect(maps.length).toBeGreaterThan(0)
      for (const map of maps) {
        const parsed = JSON.parse(readFileSync(join(installed, name, 'dist', map), 'utf8'))
        expect(parsed.sourcesContent?.length, map).toBe(parsed.sources.length)
      }
    }
    const migrations = JSON.parse(readFileSync(join(installed, 'migrations', 'package.json'), 'utf8'))
    expect(migrations.dependencies['drizzle-kit']).toBeUndefined()
    expect(migrations.peerDependencies).toEqual({ 'drizzle-orm': '1.0.0-rc.5' })
    expect(migrations.dependencies['@libsql/client']).toBe('^0.18.0')
  }, 300_000)

  it('names the drizzle-orm version it needs when another one is installed', async () => {
    const manifestPath = join(project, 'node_modules', 'drizzle-orm', 'package.json')
    const original = await readFile(manifestPath, 'utf8')
    await writeFile(manifestPath, original.replace('"version": "1.0.0-rc.5"', '"version": "0.45.4"'))
    try {
      const status = await sh('npx ash-sqlite status', project)
      expect(status.code).toBe(1)
      expect(status.stderr).toBe(
        'ash-sqlite needs drizzle-orm 1.0.0-rc.5, found 0.45.4. Install exactly that version: ' +
          'npm install --save-exact drizzle-orm@1.0.0-rc.5 (a ^ range lets npm pick another release candidate).\n',
      )
    } finally {
      await writeFile(manifestPath, original)
    }
  }, 60_000)
})
