import { inspect } from 'node:util'

const redactedMark = '***'
// Shorter "secrets" would redact ordinary words of a message; real tokens and passwords are longer.
const minimumSecretLength = 4

/**
 * A database URL fit for output: `authToken` query parameters and userinfo (`user:password@`) removed.
 * Works on URLs the WHATWG parser rejects too (libSQL accepts `file:relative.db`), by plain text surgery.
 */
export function redactUrl(url: string): string {
  const [beforeQuery = '', query] = splitOnce(url, '?')
  const withoutUserinfo = beforeQuery.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1')
  if (query === undefined) return withoutUserinfo
  const [queryText = '', fragment] = splitOnce(query, '#')
  const kept = queryText.split('&').filter((part) => part !== '' && !/^authToken(=|$)/i.test(part))
  const queryPart = kept.length === 0 ? '' : `?${kept.join('&')}`
  return withoutUserinfo + queryPart + (fragment === undefined ? '' : `#${fragment}`)
}

/** Everything secret a target carries: its auth token, tokens in its URL, and its URL's userinfo. */
export function secretsOf(url: string, authToken: string | undefined): string[] {
  const secrets = new Set<string>()
  if (authToken) secrets.add(authToken)
  const [beforeQuery = '', query = ''] = splitOnce(url, '?')
  for (const part of query.split('#')[0]?.split('&') ?? []) {
    const match = /^authToken=(.*)$/i.exec(part)
    if (match?.[1]) secrets.add(decodeLoosely(match[1]))
  }
  const userinfo = /^[a-z][a-z0-9+.-]*:\/\/([^/@]*)@/i.exec(beforeQuery)?.[1]
  if (userinfo) {
    for (const piece of userinfo.split(':')) if (piece) secrets.add(decodeLoosely(piece))
  }
  return [...secrets].filter((secret) => secret.length >= minimumSecretLength)
}

/** Replaces every occurrence of the target's raw URL and secrets (also percent-encoded) in a text. */
export type Redactor = (text: string) => string

export function createRedactor(url: string, authToken: string | undefined): Redactor {
  const secrets = secretsOf(url, authToken)
  const redactedUrl = redactUrl(url)
  const needles = secrets.flatMap((secret) => [secret, encodeURIComponent(secret)])
  return (text) => {
    let result = url === redactedUrl ? text : text.split(url).join(redactedUrl)
    for (const needle of needles) result = result.split(needle).join(redactedMark)
    return result
  }
}

/** Anything that names a database and may carry secrets: a fleet target, a resolved database. */
export interface SecretBearingTarget {
  readonly url: string
  readonly authToken?: string | undefined
  /** A namespace's admin API: its URL and key are secrets too. */
  readonly admin?: { readonly url: string; readonly authToken?: string | undefined } | undefined
}

/** A redactor for everything secret a target carries, its namespace admin's key included. */
export function databaseRedactor(target: SecretBearingTarget): Redactor {
  const own = createRedactor(target.url, target.authToken)
  if (target.admin === undefined) return own
  const admin = createRedactor(target.admin.url, target.admin.authToken)
  return (text) => admin(own(text))
}

/**
 * An error safe to keep as a `cause`: the original when nothing secret shows anywhere in it (message,
 * stack, nested causes, own properties), otherwise a plain Error with the redacted message and code.
 */
export function redactError(error: unknown, redact: Redactor): unknown {
  const everything = error instanceof Error ? `${error.message}\n${inspect(error, { depth: 8 })}` : String(error)
  if (redact(everything) === everything) return error
  const message = error instanceof Error ? error.message : String(error)
  const safe = new Error(redact(message))
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code === 'string') Object.assign(safe, { code })
  return safe
}

/** The message of any thrown value, redacted. */
export function redactedMessage(error: unknown, redact: Redactor): string {
  return redact(error instanceof Error ? error.message : String(error))
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const index = text.indexOf(separator)
  return index === -1 ? [text, undefined] : [text.slice(0, index), text.slice(index + 1)]
}

function decodeLoosely(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}
