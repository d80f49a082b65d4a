import type { ArgDef, BooleanArgDef, StringArgDef } from 'citty'
import { defaultConcurrency } from '../database/concurrency.js'
import { UsageError } from '../errors.js'

/** A citty argument definition, plus `repeatable` for flags that may be given several times. */
export type CliArgDef = ArgDef & { readonly repeatable?: boolean }
export type CliArgsDef = Readonly<Record<string, CliArgDef>>

/** Parsed values: repeatable flags are arrays, booleans are never undefined, strings may be. */
export type CliArgs<T extends CliArgsDef> = {
  -readonly [K in keyof T]: T[K] extends { repeatable: true }
    ? string[]
    : T[K] extends { type: 'boolean' }
      ? boolean
      : string | undefined
}

export type BooleanArg = BooleanArgDef & { readonly type: 'boolean' }
export type StringArg = StringArgDef & { readonly type: 'string'; readonly repeatable?: false }
export type RepeatableArg = StringArgDef & { readonly type: 'string'; readonly repeatable: true }

/** Flags every command takes. */
export const globalArgs: { config: StringArg; cwd: StringArg; json: BooleanArg; debug: BooleanArg } = {
  config: {
    type: 'string',
    valueHint: 'path',
    description:
      'Config file (default: ash-sqlite.config.{ts,js,...} here or in a parent folder up to the workspace root)',
  },
  cwd: { type: 'string', valueHint: 'dir', description: 'Working directory (default: the current one)' },
  json: { type: 'boolean', description: 'Print one machine-readable JSON document on stdout, nothing else' },
  debug: { type: 'boolean', description: 'Show the stack trace of errors' },
}

/** `--repo`, repeatable, for commands that can be limited to some repos. */
export const repoArg: RepeatableArg = {
  type: 'string',
  valueHint: 'name',
  repeatable: true,
  description: 'Only this repo (repeatable; default: every repo)',
}

/** Flags of the commands that run against the databases of repos (fleets included). */
export const databaseArgs: { repo: RepeatableArg; database: StringArg; concurrency: StringArg; verbose: BooleanArg } = {
  repo: repoArg,
  database: {
    type: 'string',
    valueHint: 'name',
    description: "Only this database of a fleet repo (its name in the repo's databases())",
  },
  concurrency: {
    type: 'string',
    valueHint: 'n',
    description: `How many databases to work on at once (default: ${defaultConcurrency})`,
  },
  verbose: {
    type: 'boolean',
    description: 'Report every database of a fleet (default: a summary per fleet, and the databases that failed)',
  },
}

/** `--local`: a D1 repo's local state, the one `wrangler dev` uses (migrate, rollback, status). */
export const localArg: { local: BooleanArg } = {
  local: {
    type: 'boolean',
    description: "Apply to the local D1 state wrangler dev uses (one repo with dialect: 'd1'; needs miniflare)",
  },
}

/** `--lock-timeout` of the commands that read or write the databases' tables (migrate, rollback, status). */
export const lockTimeoutArg: { 'lock-timeout': StringArg } = {
  'lock-timeout': {
    type: 'string',
    valueHint: 'seconds',
    description: 'How long to wait for a lock another process holds on a database (default: 300)',
  },
}

/** `--lock-timeout SECONDS` as milliseconds (undefined: the default). */
export function lockTimeoutMs(value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const seconds = Number(value)
  if (value.trim() === '' || !Number.isFinite(seconds) || seconds < 0) {
    throw new UsageError(`--lock-timeout takes a number of seconds (0 or more), got ${JSON.stringify(value)}.`)
  }
  return Math.round(seconds * 1000)
}

/** `[MIGRATION_NAME]` and `--name` of the commands that write a migration (generate, regen). */
export const migrationNameArgs: { migration_name: CliArgDef; name: StringArg } = {
  migration_name: {
    type: 'positional',
    required: false,
    description: 'Migration folder suffix (default: migrate_resources<N>)',
  },
  name: { type: 'string', valueHint: 'name', description: 'Same as the MIGRATION_NAME argument' },
}

/** How the commands that diff resources settle renames and dropped columns (generate, regen). */
export const schemaDecisionArgs: {
  rename: RepeatableArg
  'rename-table': RepeatableArg
  'no-renames': BooleanArg
  'dont-drop-columns': BooleanArg
} = {
  rename: {
    type: 'string',
    valueHint: 'table.old=new',
    repeatable: true,
    description: 'Column old of table was renamed to new (repeatable)',
  },
  'rename-table': {
    type: 'string',
    valueHint: 'old=new',
    repeatable: true,
    description: 'Table old was renamed to new (repeatable)',
  },
  'no-renames': { type: 'boolean', description: 'Treat every possible rename as drop + create, without asking' },
  'dont-drop-columns': { type: 'boolean', description: 'Keep columns removed from the resources in the database' },
}

/** The migration name from the positional or `--name`; both at once must agree. */
export function migrationName(positional: string | undefined, flag: string | undefined): string | undefined {
  if (positional !== undefined && flag !== undefined && positional !== flag) {
    throw new UsageError(`Two migration names given ("${positional}" and --name "${flag}"): pass one.`)
  }
  return positional ?? flag
}
