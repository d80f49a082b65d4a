import { createRequire } from 'node:module'
import { isDomain } from '@ash-sqlite/resource'
import { closestName } from '@ash-sqlite/resource/suggest'
import type { z as Zod } from 'zod'
import { ConfigError } from '../errors.js'
import type { AshSqliteConfig } from './define-config.js'

const ACCEPTED_OPTIONS = ['domains', 'migrationsDir', 'snapshotsDir'] as const

/** The schema, built on first use: zod (~90 modules) is only loaded for a config the fast check does not accept. */
let schema: ReturnType<typeof buildConfigSchema> | undefined

function buildConfigSchema(z: typeof Zod) {
  const directorySchema = (option: string) =>
    z
      .string({ error: (issue) => `must be a directory path (a string), got ${describeValue(issue.input)}` })
      .trim()
      .min(1, { error: `must not be empty: remove ${option} to use the default, or name a directory` })
      .optional()

  return z
    .object(
      {
        domains: z.array(z.custom(isDomain, { error: 'is not a domain created with defineDomain()' }), {
          error: (issue) =>
            issue.input === undefined
              ? 'is missing: list your domains, e.g. defineConfig({ domains: [blog] })'
              : `must be an array of domains created with defineDomain(), got ${describeValue(issue.input)}`,
        }),
        migrationsDir: directorySchema('migrationsDir'),
        snapshotsDir: directorySchema('snapshotsDir'),
      },
      {
        error: (issue) =>
          `the default export must be a config object, got ${describeValue(issue.input)}: ` +
          'export default defineConfig({ domains: [...] })',
      },
    )
    .strict()
}

/**
 * Checks a config object (usually a config file's default export) and returns it typed. Errors become one
 * readable line that starts with `source` (the config file, or `config` for an object passed in code).
 */
export function validateConfig(config: unknown, source: string): AshSqliteConfig {
  return acceptValidConfig(config) ?? validateWithSchema(config, source)
}

/**
 * The common case, a valid plain config object, checked without zod (loading it is a noticeable part of
 * every command's start). It returns what the schema would; anything it does not accept (which may still
 * be valid) goes to the schema, which accepts it or explains the problem.
 */
function acceptValidConfig(config: unknown): AshSqliteConfig | undefined {
  if (typeof config !== 'object' || config === null || Object.getPrototypeOf(config) !== Object.prototype) {
    return undefined
  }
  const record = config as Record<string, unknown>
  if (!Object.keys(record).every((key) => (ACCEPTED_OPTIONS as readonly string[]).includes(key))) return undefined
  const domains = record.domains
  if (!Array.isArray(domains) || !domains.every((domain) => isDomain(domain))) return undefined
  const migrationsDir = acceptDirectory(record.migrationsDir)
  const snapshotsDir = acceptDirectory(record.snapshotsDir)
  if (migrationsDir === null || snapshotsDir === null) return undefined
  return {
    domains: [...domains],
    ...(migrationsDir === undefined ? {} : { migrationsDir }),
    ...(snapshotsDir === undefined ? {} : { snapshotsDir }),
  }
}

/** A directory option as the schema outputs it (trimmed), undefined when absent, null when not acceptable. */
function acceptDirectory(value: unknown): string | undefined | null {
  if (value === undefined) return undefined
  if (typeof value !== 'string' || value.trim() === '') return null
  return value.trim()
}

function validateWithSchema(config: unknown, source: string): AshSqliteConfig {
  schema ??= buildConfigSchema((createRequire(import.meta.url)('zod') as { z: typeof Zod }).z)
  const result = schema.safeParse(config)
  if (result.success) return result.data as AshSqliteConfig
  const problems = result.error.issues.map(describeIssue)
  if (problems.length <= 1) throw new ConfigError(`${source}: ${problems[0] ?? 'invalid config'}`)
  // Every problem, each on its own line: fixing one at a time and rerunning is the slow way.
  throw new ConfigError(
    `${source}: ${problems.length} problems:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`,
  )
}

function describeIssue(issue: Zod.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((key) => withSuggestion(key)).join(', ')
    return `unknown ${issue.keys.length === 1 ? 'option' : 'options'} ${keys} (accepted: ${ACCEPTED_OPTIONS.join(', ')})`
  }
  const path = formatPath(issue.path)
  return path === '' ? issue.message : `${path} ${issue.message}`
}

/** `"migrationDir" (did you mean "migrationsDir"?)`. */
function withSuggestion(key: string): string {
  const suggestion = closestName(key, ACCEPTED_OPTIONS)
  return suggestion === undefined ? `"${key}"` : `"${key}" (did you mean "${suggestion}"?)`
}

/** `['domains', 1]` -> `domains[1]`, the way the user wrote it. */
function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`))
    .join('')
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value)
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${value}`
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`
}
