import { describe, expect, it } from 'vitest'
import type { CliArgsDef } from './args.js'
import type { CliCommand } from './command.js'
import create from './commands/create.js'
import drop from './commands/drop.js'
import migrate from './commands/migrate.js'
import rollback from './commands/rollback.js'
import status from './commands/status.js'
import { parseCommandArgs } from './parse-args.js'

// The flags of each command, parsed from argv without running anything.

const parse = (command: CliCommand<CliArgsDef>, argv: string[]) =>
  parseCommandArgs(command.meta.name, argv, command.args)

const globalDefaults = { config: undefined, cwd: undefined, json: false, debug: false }
const databaseDefaults = { repo: [], database: undefined, concurrency: undefined, verbose: false }

describe('command flags', () => {
  it('migrate: defaults', () => {
    expect(parse(migrate, [])).toEqual({
      ...globalDefaults,
      ...databaseDefaults,
      step: undefined,
      to: undefined,
      'dry-run': false,
      'allow-changed': false,
      local: false,
    })
  })

  it('migrate: every flag, -n for --step, --repo repeatable', () => {
    const argv = ['-n', '2', '--to', '20261125120000', '--dry-run', '--allow-changed', '--repo', 'a', '--repo', 'b']
    const fleet = [
      '--database',
      't1',
      '--concurrency',
      '8',
      '--json',
      '--config',
      'c.ts',
      '--cwd',
      'app',
      '--debug',
      '--local',
    ]
    expect(parse(migrate, [...argv, ...fleet])).toEqual({
      config: 'c.ts',
      cwd: 'app',
      json: true,
      debug: true,
      repo: ['a', 'b'],
      database: 't1',
      concurrency: '8',
      verbose: false,
      step: '2',
      to: '20261125120000',
      'dry-run': true,
      'allow-changed': true,
      local: true,
    })
  })

  it('rollback: defaults and every flag', () => {
    expect(parse(rollback, [])).toEqual({
      ...globalDefaults,
      ...databaseDefaults,
      step: undefined,
      to: undefined,
      all: false,
      'dry-run': false,
      local: false,
    })
    expect(parse(rollback, ['--step', '3', '--all', '--dry-run', '--to=2026'])).toMatchObject({
      step: '3',
      all: true,
      'dry-run': true,
      to: '2026',
    })
  })

  it('rollback: rejects --allow-changed, which only migrate has', () => {
    expect(() => parse(rollback, ['--allow-changed'])).toThrow(
      'Unknown option --allow-changed for "rollback". Run ash-sqlite rollback --help.',
    )
  })

  it('status: --check, --drift, --local (D1 repos), the database selection and global flags', () => {
    expect(parse(status, [])).toEqual({
      ...globalDefaults,
      ...databaseDefaults,
      check: false,
      drift: false,
      local: false,
    })
    expect(parse(status, ['--check', '--verbose'])).toMatchObject({ check: true, verbose: true })
    expect(parse(status, ['--drift']).drift).toBe(true)
    expect(parse(status, ['--local']).local).toBe(true)
  })

  it('status and create: the database selection and global flags only', () => {
    expect(() => parse(create, ['--local'])).toThrow('Unknown option --local for "create".')
    for (const command of [status, create]) {
      expect(parse(command, [])).toMatchObject({ ...globalDefaults, ...databaseDefaults })
      expect(parse(command, ['--repo', 'main', '--database', 'main', '--json'])).toMatchObject({
        repo: ['main'],
        database: 'main',
        json: true,
      })
      expect(() => parse(command, ['--step', '1'])).toThrow(`Unknown option --step for "${command.meta.name}".`)
    }
  })

  it('drop: --force', () => {
    expect(parse(drop, [])).toEqual({ ...globalDefaults, ...databaseDefaults, force: false })
    expect(parse(drop, ['--force', '--repo', 'main']).force).toBe(true)
  })

  it('every command takes --config, --cwd, --json and --debug', () => {
    for (const command of [migrate, rollback, status, create, drop]) {
      expect(parse(command, ['--config', 'x.mjs', '--cwd', 'dir', '--json', '--debug'])).toMatchObject({
        config: 'x.mjs',
        cwd: 'dir',
        json: true,
        debug: true,
      })
    }
  })
})
