import { createRequire } from 'node:module'
import { stripVTControlCharacters } from 'node:util'
import { didYouMean } from '@ash-sqlite/resource/suggest'
import { type CommandDef, renderUsage } from 'citty'
import { UsageError } from '../errors.js'
import { globalArgs } from './args.js'
import type { CliCommand, Example } from './command.js'
import { describeError } from './describe-error.js'
import { type CliIo, createPrinter, useColors } from './output.js'
import { parseCommandArgs } from './parse-args.js'
import { createRuntime } from './runtime.js'

/** Subcommands, each loaded only when it runs: `--help` and `migrate` never load the generator. */
const commands = {
  generate: () => import('./commands/generate.js'),
  migrate: () => import('./commands/migrate.js'),
  rollback: () => import('./commands/rollback.js'),
  status: () => import('./commands/status.js'),
  create: () => import('./commands/create.js'),
  drop: () => import('./commands/drop.js'),
  regen: () => import('./commands/regen.js'),
  rebase: () => import('./commands/rebase.js'),
  pull: () => import('./commands/pull.js'),
  squash: () => import('./commands/squash.js'),
} satisfies Record<string, () => Promise<{ default: CliCommand }>>

type CommandName = keyof typeof commands

const rootCommand: CommandDef = {
  meta: () => ({ name: 'ash-sqlite', version: packageVersion(), description: 'Migrations for ash-sqlite resources' }),
  args: globalArgs,
  subCommands: Object.fromEntries(
    Object.entries(commands).map(([name, load]) => [name, async () => toCittyCommand((await load()).default)]),
  ),
}

/** The everyday loop, shown by `ash-sqlite --help`; each command's own help has more. */
const rootExamples: readonly Example[] = [
  { command: 'generate', does: 'Write migrations for what changed in the resources' },
  { command: 'migrate', does: 'Apply them to every database' },
  { command: 'status --check', does: 'Exit 1 unless every database is migrated (CI, deploys)' },
  { command: 'rollback', does: 'Undo the last migration' },
  { command: 'migrate --help', does: "A command's flags, with examples" },
]

const HELP_FLAGS = ['--help', '-h']
const VERSION_FLAGS = ['--version', '-v']

/**
 * Runs the CLI and returns its exit code: 0 ok, 1 error (or `generate --check` found changes, or a
 * database failed), 2 a decision or a correct usage is needed. This is the only place that turns errors
 * into output; the bin sets `process.exitCode` from the result.
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const beforeTerminator = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv
  const debug = beforeTerminator.includes('--debug')
  const json = beforeTerminator.includes('--json')
  try {
    const index = commandIndex(argv)
    const name = index === -1 ? undefined : argv[index]
    const wantsHelp = beforeTerminator.some((arg) => HELP_FLAGS.includes(arg))
    if (name === undefined) {
      if (beforeTerminator.some((arg) => VERSION_FLAGS.includes(arg))) {
        io.stdout.write(`${packageVersion()}\n`)
        return 0
      }
      const usage = await usageOf(rootCommand, undefined, io)
      ;(wantsHelp ? io.stdout : io.stderr).write(`${usage}\n\n${renderExamples(rootExamples)}\n`)
      return wantsHelp ? 0 : 2
    }
    if (!isCommandName(name)) {
      const names = Object.keys(commands).join(', ')
      const suggestion = didYouMean(name, Object.keys(commands))
      throw new UsageError(`Unknown command "${name}".${suggestion} Commands: ${names}. Run ash-sqlite --help.`)
    }
    const command: CliCommand = (await commands[name]()).default
    if (wantsHelp) {
      const usage = await usageOf(toCittyCommand(command), rootCommand, io)
      io.stdout.write(`${usage}\n${renderExamples(command.examples)}\n`)
      return 0
    }
    const args = parseCommandArgs(name, [...argv.slice(0, index), ...argv.slice(index + 1)], command.args)
    const printer = createPrinter(io, { json: Boolean(args.json) })
    const runtime = createRuntime(io, printer, { config: args.config, cwd: args.cwd })
    return await command.run(args, runtime)
  } catch (error) {
    return reportError(error, io, { debug, json })
  }
}

/** Entry point of the bin: runs with the process's argv and streams and sets the exit code. */
export async function run(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  process.exitCode = await runCli(argv)
}

function reportError(error: unknown, io: CliIo, options: { debug: boolean; json: boolean }): number {
  const { code, message, exitCode, hint } = describeError(error)
  const printer = createPrinter(io, { json: options.json })
  printer.error(message)
  if (options.debug) io.stderr.write(`${stackOf(error)}\n`)
  else if (hint !== undefined) io.stderr.write(`${hint}\n`)
  printer.printJson({ ok: false, error: { code, message } })
  return exitCode
}

function stackOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const cause = error.cause === undefined ? '' : `\nCaused by: ${stackOf(error.cause)}`
  return `${error.stack ?? error.message}${cause}`
}

/** Index of the subcommand name: the first argument that is neither a flag nor a global flag's value. */
function commandIndex(argv: readonly string[]): number {
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] ?? ''
    if (arg === '--') return -1
    if (!arg.startsWith('-')) return index
    if (arg === '--config' || arg === '--cwd') index++
  }
  return -1
}

/** The EXAMPLES section of a command's help: aligned command lines, each followed by what it does. */
function renderExamples(examples: readonly Example[]): string {
  if (examples.length === 0) return ''
  const width = Math.max(...examples.map((example) => example.command.length)) + 'ash-sqlite '.length
  const lines = examples.map((example) => `  ${`ash-sqlite ${example.command}`.padEnd(width)}  ${example.does}`)
  return `EXAMPLES\n\n${lines.join('\n')}\n`
}

function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(commands, name)
}

function toCittyCommand(command: CliCommand): CommandDef {
  return { meta: command.meta, args: command.args }
}

async function usageOf(command: CommandDef, parent: CommandDef | undefined, io: CliIo): Promise<string> {
  const usage = await renderUsage(command, parent)
  return useColors(io) ? usage : stripVTControlCharacters(usage)
}

let version: string | undefined
function packageVersion(): string {
  // src/cli/ and dist/cli/ are both two levels below the package root.
  version ??= (createRequire(import.meta.url)('../../package.json') as { version: string }).version
  return version
}

function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env }
}
