import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { captureIo } from '../test-utils/capture-io.js'
import { createTempProject, type TempProject } from '../test-utils/temp-project.js'
import { runCli } from './main.js'

let project: TempProject | undefined

afterEach(async () => {
  await project?.remove()
  project = undefined
})

async function cli(argv: string[], options: Parameters<typeof captureIo>[0] = {}) {
  const io = captureIo(options)
  const code = await runCli(argv, io)
  return { code, out: io.out(), err: io.err() }
}

describe('runCli', () => {
  it('prints the commands for --help, without colour codes off a terminal', async () => {
    const { code, out, err } = await cli(['--help'])

    expect(code).toBe(0)
    expect(err).toBe('')
    expect(out).toContain(
      'USAGE ash-sqlite [OPTIONS] generate|migrate|rollback|status|create|drop|regen|rebase|pull|squash',
    )
    for (const name of [
      'generate',
      'migrate',
      'rollback',
      'status',
      'create',
      'drop',
      'regen',
      'rebase',
      'pull',
      'squash',
    ]) {
      expect(out).toMatch(new RegExp(`^ +${name} +\\S`, 'm'))
    }
    expect(out).not.toContain('\u001B[')
  })

  it("prints a command's flags for <command> --help", async () => {
    const { code, out } = await cli(['generate', '--help'])

    expect(code).toBe(0)
    expect(out).toContain('USAGE ash-sqlite generate [OPTIONS] [MIGRATION_NAME]')
    for (const flag of [
      '--check',
      '--dry-run',
      '--rename=<table.old=new>',
      '--rename-table=<old=new>',
      '--no-renames',
      '--dont-drop-columns',
      '--repo=<name>',
      '--config=<path>',
      '--cwd=<dir>',
      '--json',
    ]) {
      expect(out).toContain(flag)
    }
  })

  it('shows examples in the help of every command, and of the CLI', async () => {
    const root = await cli(['--help'])
    expect(root.out).toContain(
      'EXAMPLES\n\n  ash-sqlite generate        Write migrations for what changed in the resources\n',
    )
    for (const name of [
      'generate',
      'migrate',
      'rollback',
      'status',
      'create',
      'drop',
      'regen',
      'rebase',
      'pull',
      'squash',
    ]) {
      const { code, out } = await cli([name, '--help'])
      expect(code).toBe(0)
      const examples = out.slice(out.indexOf('EXAMPLES\n'))
      expect(examples.split('\n').filter((line) => line.startsWith(`  ash-sqlite ${name}`)).length).toBeGreaterThan(1)
    }
    expect((await cli(['status', '--help'])).out).toMatch(
      /^ {2}ash-sqlite status --check +CI or deploy: exit 1 unless/m,
    )
  })

  it('shows -n as the short form of --step', async () => {
    const { out } = await cli(['rollback', '-h'])
    expect(out).toContain('-n, --step=<n>')
    expect(out).toContain('--all')
  })

  it('prints the version', async () => {
    const { code, out } = await cli(['--version'])
    expect(code).toBe(0)
    expect(out).toMatch(/^\d+\.\d+\.\d+\S*\n$/)
  })

  it('exits 2 with the usage on stderr when no command is given', async () => {
    const { code, out, err } = await cli([])
    expect(code).toBe(2)
    expect(out).toBe('')
    expect(err).toContain('USAGE ash-sqlite')
  })

  it('exits 2 for an unknown command', async () => {
    const { code, err } = await cli(['migrat'])
    expect(code).toBe(2)
    expect(err).toBe(
      'Unknown command "migrat". Did you mean "migrate"? Commands: generate, migrate, rollback, status, create, drop, regen, rebase, pull, squash. Run ash-sqlite --help.\n',
    )
  })

  it('reports usage errors as JSON too with --json', async () => {
    const { code, out } = await cli(['--json', 'migrat'])
    expect(code).toBe(2)
    expect(JSON.parse(out)).toEqual({
      ok: false,
      error: {
        code: 'bad_usage',
        message:
          'Unknown command "migrat". Did you mean "migrate"? Commands: generate, migrate, rollback, status, create, drop, regen, rebase, pull, squash. Run ash-sqlite --help.',
      },
    })
  })

  it('exits 2 when generate gets two different names', async () => {
    expect(await cli(['generate', 'one', '--name', 'two'])).toEqual({
      code: 2,
      out: '',
      err: 'Two migration names given ("one" and --name "two"): pass one.\n',
    })
  })

  it('exits 2 for an unknown flag or a bad number', async () => {
    expect(await cli(['migrate', '--stpe', '2'])).toEqual({
      code: 2,
      out: '',
      err: 'Unknown option --stpe for "migrate". Did you mean --step? Run ash-sqlite migrate --help.\n',
    })
    expect(await cli(['rollback', '-n', 'two'])).toEqual({
      code: 2,
      out: '',
      err: '--step must be a whole number >= 1, got "two".\n',
    })
  })

  it('refuses drop without --force when there is no terminal, before loading anything', async () => {
    expect(await cli(['drop', '--cwd', 'does-not-matter'])).toEqual({
      code: 2,
      out: '',
      err: 'drop deletes databases and there is no terminal to confirm it: pass --force.\n',
    })
  })

  it('reports a missing config in two lines, exit 1, and finds it through --cwd', async () => {
    project = await createTempProject({ 'app/.git/HEAD': '' })
    const dir = join(project.dir, 'app')
    const { code, out, err } = await cli(['status', '--cwd', dir])

    expect(code).toBe(1)
    expect(out).toBe('')
    expect(err).toBe(
      `No ash-sqlite config file in ${dir} (looked for ash-sqlite.config.ts, ash-sqlite.config.mts, ` +
        'ash-sqlite.config.cts, ash-sqlite.config.js, ash-sqlite.config.mjs, ash-sqlite.config.cjs).\n' +
        'Create one that does `export default defineConfig({ domains: [...] })`, or pass --config PATH.\n',
    )
  })

  it('prints an error as a JSON document on stdout with --json', async () => {
    project = await createTempProject({ 'ash-sqlite.config.ts': 'export default { domains: 1 }\n' })
    const { code, out, err } = await cli(['migrate', '--json', '--cwd', project.dir])

    expect(code).toBe(1)
    const message =
      'ash-sqlite.config.ts: domains must be an array of domains created with defineDomain(), got number 1'
    expect(JSON.parse(out)).toEqual({ ok: false, error: { code: 'config_invalid', message } })
    expect(err).toBe(`${message}\n`)
  })

  it('loads the file named by --config, relative to --cwd', async () => {
    project = await createTempProject({ 'config/custom.mjs': 'export default { domains: [] }\n' })
    const { code, out } = await cli(['status', '--json', '--cwd', project.dir, '--config', 'config/custom.mjs'])

    expect(code).toBe(0)
    expect(JSON.parse(out)).toEqual({ ok: true, conflicts: [], databases: [] })
  })

  it('hides the stack of an unexpected error unless --debug', async () => {
    project = await createTempProject({ 'ash-sqlite.config.mjs': 'export default { domains: [] }\n' })
    const withoutDebug = await cli(['status', '--cwd', project.dir, '--concurrency', '0'])
    expect(withoutDebug).toEqual({ code: 2, out: '', err: '--concurrency must be a whole number >= 1, got "0".\n' })

    const thrower = 'export default { get domains() { throw new Error("boom") } }\n'
    await project.write({ 'ash-sqlite.config.mjs': thrower })
    const plain = await cli(['status', '--cwd', project.dir])
    expect(plain.code).toBe(1)
    expect(plain.err).toBe('Unexpected error: boom\nRun again with --debug to see the stack trace.\n')

    const debug = await cli(['status', '--cwd', project.dir, '--debug'])
    expect(debug.code).toBe(1)
    expect(debug.err).toMatch(/^Unexpected error: boom\nError: boom\n +at /)
  })
})
