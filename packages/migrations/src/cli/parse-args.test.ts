import { describe, expect, it } from 'vitest'
import { UsageError } from '../errors.js'
import generate from './commands/generate.js'
import { parseCommandArgs, parseIntegerOption } from './parse-args.js'

function usageErrorOf(run: () => unknown): UsageError {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError)
    return error as UsageError
  }
  throw new Error('expected a usage error')
}

const parseGenerate = (argv: string[]) => parseCommandArgs('generate', argv, generate.args)

describe('parseCommandArgs', () => {
  it('gives defaults when nothing is passed: false, empty lists, undefined', () => {
    expect(parseGenerate([])).toEqual({
      config: undefined,
      cwd: undefined,
      json: false,
      debug: false,
      migration_name: undefined,
      name: undefined,
      check: false,
      custom: false,
      'dry-run': false,
      repo: [],
      rename: [],
      'rename-table': [],
      'no-renames': false,
      'dont-drop-columns': false,
    })
  })

  it('collects repeated flags in order, with and without =', () => {
    const args = parseGenerate([
      '--rename',
      'users.name=full_name',
      '--rename=posts.body=content',
      '--rename-table',
      'people=users',
      '--repo',
      'main',
      '--repo=tenants',
    ])
    expect(args.rename).toEqual(['users.name=full_name', 'posts.body=content'])
    expect(args['rename-table']).toEqual(['people=users'])
    expect(args.repo).toEqual(['main', 'tenants'])
  })

  it('reads the positional name, booleans and global flags anywhere in the argv', () => {
    const args = parseGenerate([
      '--cwd',
      'app',
      'add_users',
      '--check',
      '--no-renames',
      '--dont-drop-columns',
      '--json',
      '--config=x.ts',
      '--debug',
      '--dry-run',
    ])
    expect(args).toMatchObject({
      cwd: 'app',
      config: 'x.ts',
      migration_name: 'add_users',
      check: true,
      'no-renames': true,
      'dont-drop-columns': true,
      json: true,
      debug: true,
      'dry-run': true,
    })
  })

  it('takes the last value of a flag given twice that is not repeatable', () => {
    expect(parseGenerate(['--name', 'a', '--name', 'b']).name).toBe('b')
  })

  it('rejects unknown flags, naming the command', () => {
    expect(usageErrorOf(() => parseGenerate(['--renames', 'x'])).message).toBe(
      'Unknown option --renames for "generate". Did you mean --rename? Run ash-sqlite generate --help.',
    )
    expect(usageErrorOf(() => parseGenerate(['-x'])).message).toBe(
      'Unknown option -x for "generate". Run ash-sqlite generate --help.',
    )
  })

  it('rejects a missing value, including a flag taken as the value', () => {
    expect(usageErrorOf(() => parseGenerate(['--name'])).message).toBe('Option --name of "generate" needs a value.')
    expect(usageErrorOf(() => parseGenerate(['--rename', '--check'])).message).toBe(
      'Option --rename of "generate" needs a value.',
    )
  })

  it('rejects a value given to a boolean flag', () => {
    expect(usageErrorOf(() => parseGenerate(['--check=yes'])).message).toBe(
      'Option --check of "generate" takes no value (got "yes").',
    )
  })

  it('rejects surplus positionals', () => {
    expect(usageErrorOf(() => parseGenerate(['one', 'two'])).message).toBe(
      'Unexpected argument "two" for "generate". Run ash-sqlite generate --help.',
    )
  })

  it('has exit code 2 for usage errors', () => {
    expect(usageErrorOf(() => parseGenerate(['--nope'])).exitCode).toBe(2)
  })

  it('reads short aliases, with the value attached or apart', () => {
    const args = { step: { type: 'string', alias: 'n' }, all: { type: 'boolean' } } as const
    expect(parseCommandArgs('rollback', ['-n', '3'], args).step).toBe('3')
    expect(parseCommandArgs('rollback', ['-n2'], args).step).toBe('2')
    expect(parseCommandArgs('rollback', ['--step=4'], args).step).toBe('4')
  })
})

describe('parseIntegerOption', () => {
  it('accepts whole numbers from the minimum up', () => {
    expect(parseIntegerOption('3', '--step')).toBe(3)
    expect(parseIntegerOption(undefined, '--step')).toBeUndefined()
    expect(parseIntegerOption('0', '--step', 0)).toBe(0)
  })

  it.each(['0', '-1', '1.5', 'abc', ''])('rejects %j with a usage error', (value) => {
    expect(usageErrorOf(() => parseIntegerOption(value, '--step')).message).toBe(
      `--step must be a whole number >= 1, got "${value}".`,
    )
  })
})
