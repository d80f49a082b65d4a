/**
 * Small checks shared by every definition validator. Each failure names the resource, the option path,
 * what is wrong and how to fix it (see `ResourceDefinitionError`).
 */
import { describeValue } from './attribute-types.js'
import { ResourceDefinitionError, type ResourceDefinitionErrorCode } from './errors.js'
import { isPlainIdentifier, isReservedName } from './identifiers.js'
import { closestName } from './suggest.js'

export class DefinitionCheck {
  constructor(
    /** The resource (or repo/domain) being defined, as named in errors. */
    readonly resource: string,
  ) {}

  fail(code: ResourceDefinitionErrorCode, path: string | undefined, problem: string, fix: string): never {
    throw new ResourceDefinitionError({ code, resource: this.resource, path, problem, fix })
  }

  /** A plain SQL identifier (table, column, index, constraint or statement name). */
  identifier(value: unknown, path: string, what: string, options: { schemaObject?: boolean } = {}): string {
    if (!isPlainIdentifier(value)) {
      this.fail(
        'invalid_identifier',
        path,
        `${what} ${describeValue(value)} is not a plain SQL identifier`,
        'Use only ASCII letters, digits and underscores, not starting with a digit (e.g. "user_accounts")',
      )
    }
    if (options.schemaObject && isReservedName(value)) {
      this.fail(
        'invalid_identifier',
        path,
        `${what} "${value}" starts with "sqlite_", which SQLite reserves for itself`,
        'Choose a name that does not start with "sqlite_"',
      )
    }
    return value
  }

  optionalIdentifier(
    value: unknown,
    path: string,
    what: string,
    options: { schemaObject?: boolean } = {},
  ): string | null {
    return value === undefined ? null : this.identifier(value, path, what, options)
  }

  boolean(value: unknown, path: string, fallback: boolean): boolean {
    if (value === undefined) return fallback
    if (typeof value !== 'boolean') {
      this.fail(
        'invalid_option',
        path,
        `must be true or false, got ${describeValue(value)}`,
        `Set ${path} to a boolean`,
      )
    }
    return value
  }

  nonEmptyString(value: unknown, path: string, what: string): string {
    if (typeof value !== 'string' || value.trim() === '') {
      this.fail(
        'invalid_option',
        path,
        `${what} must be a non-empty string, got ${describeValue(value)}`,
        `Set ${path} to the ${what}`,
      )
    }
    return value.trim()
  }

  optionalString(value: unknown, path: string, what: string): string | null {
    return value === undefined ? null : this.nonEmptyString(value, path, what)
  }

  /**
   * An optional secret (an auth token): like `optionalString`, but a wrong value is described by its kind
   * only, never shown: an object or a String object holding the token must not end up in an error.
   */
  optionalSecret(value: unknown, path: string, what: string): string | null {
    if (value === undefined) return null
    if (typeof value !== 'string' || value.trim() === '') {
      const kind = typeof value === 'string' ? 'an empty string' : value === null ? 'null' : `a ${kindOf(value)}`
      this.fail(
        'invalid_option',
        path,
        `${what} must be a non-empty string, got ${kind} (its value is not shown: it may be a secret)`,
        `Set ${path} to the token itself, as a string (e.g. process.env.DATABASE_AUTH_TOKEN)`,
      )
    }
    return value.trim()
  }

  object(value: unknown, path: string, what: string): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.fail(
        'invalid_option',
        path,
        `${what} must be an object, got ${describeValue(value)}`,
        `Write ${path} as { ... }`,
      )
    }
    return value as Record<string, unknown>
  }

  optionalObject(value: unknown, path: string, what: string): Record<string, unknown> {
    return value === undefined ? {} : this.object(value, path, what)
  }

  array(value: unknown, path: string, what: string): readonly unknown[] {
    if (!Array.isArray(value)) {
      this.fail(
        'invalid_option',
        path,
        `${what} must be an array, got ${describeValue(value)}`,
        `Write ${path} as [ ... ]`,
      )
    }
    return value
  }

  optionalArray(value: unknown, path: string, what: string): readonly unknown[] {
    return value === undefined ? [] : this.array(value, path, what)
  }

  /** Rejects option names the DSL does not know, which are almost always typos. */
  /**
   * Fails on the first key that is not in `allowed`, suggesting the allowed key it most likely meant
   * (`allowNul` -> `allowNull`). `hints` explains keys that are known mistakes (`unique` on an attribute).
   */
  knownKeys(
    value: Record<string, unknown>,
    allowed: readonly string[],
    path: string | undefined,
    hints: Readonly<Record<string, string>> = {},
  ): void {
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) {
        const where = path ? `${path}.${key}` : key
        const suggestion = closestName(key, allowed)
        const fix =
          hints[key] ??
          (suggestion === undefined
            ? `Remove it; the known options are: ${allowed.join(', ')}`
            : `Did you mean "${suggestion}"? The known options are: ${allowed.join(', ')}`)
        this.fail('invalid_option', where, `unknown option "${key}"`, fix)
      }
    }
  }

  oneOf<T extends string>(value: unknown, allowed: readonly T[], path: string, what: string): T {
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      this.fail(
        'invalid_option',
        path,
        `${what} ${describeValue(value)} is not one of ${allowed.map((item) => `'${item}'`).join(', ')}`,
        `Set ${path} to one of them`,
      )
    }
    return value as T
  }
}

function kindOf(value: unknown): string {
  if (typeof value !== 'object') return typeof value
  if (Array.isArray(value)) return 'array'
  if (value instanceof String) return 'String object'
  return 'object'
}
