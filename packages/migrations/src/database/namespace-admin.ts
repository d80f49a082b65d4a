/**
 * Creating and deleting a database that is a namespace of a libSQL server, through sqld's admin API
 * (`--admin-listen-addr`). Measured against sqld 0.24.32:
 * - `POST <admin>/v1/namespaces/<ns>/create` with a JSON body answers 200, or 400
 *   `{"error":"Namespace `ns` already exists"}` when it exists;
 * - `DELETE <admin>/v1/namespaces/<ns>` answers 200, or 404 when there is no such namespace;
 * - `GET <admin>/v1/namespaces/<ns>/config` answers 200 or 404: whether it exists;
 * - with `--admin-auth-key K` every request needs `Authorization: Basic K` (Bearer is refused).
 * A refused create is told apart from "already exists" by asking for the namespace's config rather than
 * by reading the error text.
 */
import type { NamespaceAdmin } from '@ash-sqlite/resource'
import { DatabaseError } from './errors.js'
import type { Redactor } from './redact-url.js'

const requestTimeoutMs = 30_000

export async function createNamespace(admin: NamespaceAdmin, redact: Redactor): Promise<'created' | 'exists'> {
  const created = await adminRequest(admin, 'POST', '/create', redact, '{}')
  if (created.ok) return 'created'
  if (await namespaceExists(admin, redact)) return 'exists'
  throw refused(admin, 'create', created, redact)
}

export async function deleteNamespace(admin: NamespaceAdmin, redact: Redactor): Promise<'dropped' | 'absent'> {
  const deleted = await adminRequest(admin, 'DELETE', '', redact)
  if (deleted.ok) return 'dropped'
  if (deleted.status === 404) return 'absent'
  throw refused(admin, 'delete', deleted, redact)
}

async function namespaceExists(admin: NamespaceAdmin, redact: Redactor): Promise<boolean> {
  const config = await adminRequest(admin, 'GET', '/config', redact)
  return config.ok
}

interface AdminResponse {
  readonly ok: boolean
  readonly status: number
  readonly body: string
}

async function adminRequest(
  admin: NamespaceAdmin,
  method: 'GET' | 'POST' | 'DELETE',
  suffix: string,
  redact: Redactor,
  body?: string,
): Promise<AdminResponse> {
  const url = `${admin.url.replace(/\/$/, '')}/v1/namespaces/${encodeURIComponent(admin.namespace)}${suffix}`
  const headers: Record<string, string> = {}
  if (body !== undefined) headers['content-type'] = 'application/json'
  if (admin.authToken !== undefined) headers.authorization = `Basic ${admin.authToken}`
  try {
    const response = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(requestTimeoutMs) })
    return { ok: response.ok, status: response.status, body: await response.text() }
  } catch (cause) {
    const code = (cause as { cause?: { code?: unknown } }).cause?.code
    const detail = typeof code === 'string' ? code : cause instanceof Error ? cause.message : String(cause)
    throw new DatabaseError(
      redact(
        `Cannot reach the sqld admin API at ${adminLabel(admin)} (${detail}) to manage namespace ${admin.namespace}. Is the server running with --admin-listen-addr, and is the admin url right?`,
      ),
      { reason: 'unreachable' },
    )
  }
}

function refused(
  admin: NamespaceAdmin,
  action: 'create' | 'delete',
  response: AdminResponse,
  redact: Redactor,
): DatabaseError {
  const auth = response.status === 401 ? ' The admin API wants its --admin-auth-key: set admin.authToken.' : ''
  return new DatabaseError(
    redact(
      `The sqld admin API at ${adminLabel(admin)} could not ${action} namespace ${admin.namespace}: HTTP ${response.status} ${response.body.trim().slice(0, 300)}.${auth}`,
    ),
    { reason: 'admin_failed' },
  )
}

/** The admin URL without userinfo: only scheme, host and port are shown. */
function adminLabel(admin: NamespaceAdmin): string {
  try {
    const parsed = new URL(admin.url)
    return `${parsed.protocol}//${parsed.host}`
  } catch {
    return '(invalid admin url)'
  }
}
