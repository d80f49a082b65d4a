import { type ParseArgsConfig, parseArgs } from 'node:util'
import { didYouMean } from '@ash-sqlite/resource/suggest'
import { UsageError } from '../errors.js'
import type { CliArgs, CliArgsDef } from './args.js'

type OptionsConfig = NonNullable<ParseArgsConfig['options']>

/**
 * Parses a command's argv against its argument definitions. Stricter than citty's own parser (which
 * ignores unknown flags and keeps only the last of repeated ones): unknown flags, missing values, values
 * given to boolean flags and surplus positionals are usage errors (exit code 2) that name the command.
 */
export function parseCommandArgs<T extends CliArgsDef>(command: string, argv: readonly string[], args: T): CliArgs<T> {
  const { values, positionals, tokens } = parseArgs({
    args: [...argv],
    options: toParseArgsOptions(args),
    strict: false,
    allowPositionals: true,
    tokens: true,
  })
  for (const token of tokens) {
    if (token.kind !== 'option') continue
    const definition = findDefinition(args, token.name)
    if (definition === undefined) {
      throw new UsageError(
        `Unknown option ${token.rawName} for "${command}".${suggestFlag(token.rawName, args)} Run ash-sqlite ${command} --help.`,
      )
    }
    if (definition.type === 'boolean' && token.value !== undefined) {
      throw new UsageError(`Option ${token.rawName} of "${command}" takes no value (got "${token.value}").`)
    }
    if (definition.type !== 'boolean' && (token.value === undefined || isFlagLike(token))) {
      throw new UsageError(`Option ${token.rawName} of "${command}" needs a value.`)
    }
  }

  const parsed: Record<string, string | string[] | boolean | undefined> = {}
  const positionalNames = Object.keys(args).filter((name) => args[name]?.type === 'positional')
  if (positionals.length > positionalNames.length) {
    const surplus = positionals[positionalNames.length]
    throw new UsageError(`Unexpected argument "${surplus}" for "${command}". Run ash-sqlite ${command} --help.`)
  }
  for (const [name, definition] of Object.entries(args)) {
    if (definition.type === 'positional') {
      parsed[name] = positionals[positionalNames.indexOf(name)] ?? definition.default
      continue
    }
    const given = [name, ...aliasesOf(definition)].flatMap((key) => toArray(values[key]))
    if (definition.repeatable === true) parsed[name] = given.map(String)
    else if (definition.type === 'boolean')
      parsed[name] = given.length > 0 ? given.at(-1) === true : (definition.default ?? false)
    else parsed[name] = given.length > 0 ? String(given.at(-1)) : definition.default
  }
  return parsed as CliArgs<T>
}

function toParseArgsOptions(args: CliArgsDef): OptionsConfig {
  const options: OptionsConfig = {}
  for (const [name, definition] of Object.entries(args)) {
    if (definition.type === 'positional') continue
    const type = definition.type === 'boolean' ? 'boolean' : 'string'
    options[name] = { type, multiple: true }
    for (const alias of aliasesOf(definition)) {
      options[alias] = alias.length === 1 ? { type, multiple: true, short: alias } : { type, multiple: true }
    }
  }
  return options
}

/** " Did you mean --step?" for `--steps`, from the command's own flags (long names and aliases). */
function suggestFlag(rawName: string, args: CliArgsDef): string {
  if (!rawName.startsWith('--')) return ''
  const names = Object.entries(args).flatMap(([name, definition]) =>
    definition.type === 'positional' ? [] : [name, ...aliasesOf(definition).filter((alias) => alias.length > 1)],
  )
  return didYouMean(rawName.slice(2), names, (name) => `--${name}`)
}

function findDefinition(args: CliArgsDef, flag: string): CliArgsDef[string] | undefined {
  return Object.entries(args).find(
    ([name, definition]) => definition.type !== 'positional' && (name === flag || aliasesOf(definition).includes(flag)),
  )?.[1]
}

function aliasesOf(definition: CliArgsDef[string]): string[] {
  if (!('alias' in definition) || definition.alias === undefined) return []
  return typeof definition.alias === 'string' ? [definition.alias] : [...definition.alias]
}

/** `--to --json`: parseArgs takes `--json` as the value of `--to`; a user meant a missing value. */
function isFlagLike(token: { value?: string | undefined; inlineValue?: boolean | undefined }): boolean {
  return token.inlineValue === false && token.value?.startsWith('-') === true && !/^-\d/.test(token.value)
}

function toArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return []
  return Array.isArray(value) ? value : [value]
}

/** A whole number >= `min` for options such as `--step` and `--concurrency`. */
export function parseIntegerOption(value: string | undefined, flag: string, min = 1): number | undefined {
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value.trim()) || Number(value) < min) {
    throw new UsageError(`${flag} must be a whole number >= ${min}, got "${value}".`)
  }
  return Number(value)
}
