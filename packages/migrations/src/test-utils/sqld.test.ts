import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readdir, readFile, readlink } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { type Client, createClient } from '@libsql/client'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { SqldError, type SqldServer, startSqld } from './sqld.js'

const clients: Client[] = []
function connect(url: string, authToken?: string): Client {
  const client = createClient(authToken === undefined ? { url } : { url, authToken })
  clients.push(client)
  return client
}
afterEach(() => {
  for (const client of clients.splice(0)) client.close()
})

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

async function waitUntilGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return !isAlive(pid)
}

/** Listening TCP sockets of a process, as `address:port`, read from /proc (Linux). */
async function listeningAddresses(pid: number): Promise<string[]> {
  const inodes = new Set<string>()
  for (const fd of await readdir(`/proc/${pid}/fd`)) {
    const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')
    const match = /^socket:\[(\d+)\]$/.exec(target)
    if (match?.[1]) inodes.add(match[1])
  }
  const addresses: string[] = []
  for (const table of ['tcp', 'tcp6']) {
    const lines = (await readFile(`/proc/${pid}/net/${table}`, 'utf8')).trim().split('\n').slice(1)
    for (const line of lines) {
      const [, local, , state, , , , , , inode] = line.trim().split(/\s+/)
      if (state !== '0A' || inode === undefined || !inodes.has(inode) || local === undefined) continue
      const [hexAddress = '', hexPort = ''] = local.split(':')
      addresses.push(`${decodeProcAddress(hexAddress)}:${Number.parseInt(hexPort, 16)}`)
    }
  }
  return addresses.sort()
}

function decodeProcAddress(hex: string): string {
  if (hex.length !== 8) return `ipv6:${hex}`
  // /proc/net/tcp prints IPv4 addresses as a little-endian 32-bit number.
  const bytes = hex.match(/../g)?.map((pair) => Number.parseInt(pair, 16)) ?? []
  return bytes.reverse().join('.')
}

const portOf = (url: string): number => Number(new URL(url).port)

describe('startSqld without namespaces', () => {
  let server: SqldServer
  beforeAll(async () => {
    server = await startSqld()
  })
  afterAll(async () => {
    await server?.stop()
  })

  it('serves the default database over http and ws on 127.0.0.1', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(server.wsUrl).toBe(server.url.replace('http:', 'ws:'))
    expect(server.adminUrl).toBeUndefined()
    expect(server.authToken).toBeUndefined()
    await connect(server.url).execute('CREATE TABLE shared(x)')
    await connect(server.wsUrl).execute("INSERT INTO shared VALUES ('over ws')")
    const rows = await connect(server.url).execute('SELECT x FROM shared')
    expect(rows.rows.map((row) => row.x)).toEqual(['over ws'])
    expect(existsSync(server.dataDir)).toBe(true)
  })

  it.skipIf(process.platform !== 'linux')('listens on the HTTP port of 127.0.0.1 and nowhere else', async () => {
    expect(await listeningAddresses(server.pid)).toEqual([`127.0.0.1:${portOf(server.url)}`])
  })

  it('refuses namespace operations with a clear error', async () => {
    expect(() => server.namespaceUrl('t1')).toThrow(
      /namespaceUrl\(\) needs a server started with \{ namespaces: true \}/,
    )
    await expect(server.createNamespace('t1')).rejects.toThrow(SqldError)
    expect(() => server.signToken()).toThrow(/needs a server started with \{ auth: true \}/)
  })
})

describe('startSqld with namespaces', () => {
  let server: SqldServer
  beforeAll(async () => {
    server = await startSqld({ namespaces: true })
  })
  afterAll(async () => {
    await server?.stop()
  })

  it.skipIf(process.platform !== 'linux')('binds the user and admin APIs to 127.0.0.1 only', async () => {
    const adminUrl = server.adminUrl ?? ''
    expect(adminUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(await listeningAddresses(server.pid)).toEqual(
      [`127.0.0.1:${portOf(server.url)}`, `127.0.0.1:${portOf(adminUrl)}`].sort(),
    )
  })

  it('keeps each namespace a separate database, reached by the /dev/<ns>/ path', async () => {
    await server.createNamespace('tenant_a')
    await server.createNamespace('tenant-b')
    expect(server.namespaceUrl('tenant_a')).toBe(`http://localhost:${portOf(server.url)}/dev/tenant_a/`)

    await connect(server.namespaceUrl('tenant_a')).execute('CREATE TABLE who(name TEXT)')
    await connect(server.namespaceUrl('tenant_a')).execute("INSERT INTO who VALUES ('a')")
    await connect(server.namespaceUrl('tenant-b')).execute('CREATE TABLE who(name TEXT)')

    const countIn = async (url: string): Promise<unknown> =>
      (await connect(url).execute('SELECT count(*) AS n FROM who')).rows[0]?.n
    expect(await countIn(server.namespaceUrl('tenant_a'))).toBe(1)
    expect(await countIn(server.namespaceUrl('tenant-b'))).toBe(0)
    await expect(connect(server.url).execute('SELECT * FROM who')).rejects.toThrow(/no such table: who/)
  })

  it('deletes a namespace: its URL answers 404 afterwards', async () => {
    await server.createNamespace('short_lived')
    await connect(server.namespaceUrl('short_lived')).execute('CREATE TABLE t(x)')
    await server.deleteNamespace('short_lived')
    await expect(connect(server.namespaceUrl('short_lived')).execute('SELECT 1')).rejects.toThrow(
      /Server returned HTTP status 404/,
    )
    await expect(server.deleteNamespace('never_created')).rejects.toThrow(/could not delete namespace "never_created"/)
  })

  it('rejects namespace names sqld cannot route', async () => {
    expect(() => server.namespaceUrl('a.b')).toThrow(/Invalid sqld namespace name "a\.b"/)
    await expect(server.createNamespace('a/b')).rejects.toThrow(/Invalid sqld namespace name/)
  })

  it('pins how sqld picks the namespace of a request', async () => {
    await server.createNamespace('routing')
    // The first label of the Host header names the namespace: 127.0.0.1 means namespace "127".
    await expect(connect(server.url.replace('localhost', '127.0.0.1')).execute('SELECT 1')).rejects.toThrow(
      /HTTP status 404/,
    )
    // `localhost` has no dot, so it falls back to the default namespace, over http and ws alike.
    expect((await connect(server.url).execute('SELECT 1 AS one')).rows[0]?.one).toBe(1)
    expect((await connect(server.wsUrl).execute('SELECT 1 AS one')).rows[0]?.one).toBe(1)
    // The /dev/<ns>/ route exists for Hrana over HTTP only; the trailing slash is what makes
    // @libsql/client post to /dev/<ns>/v2/pipeline.
    await expect(connect(server.namespaceUrl('routing').slice(0, -1)).execute('SELECT 1')).rejects.toThrow(/404/)
    await expect(connect(`${server.wsUrl}/dev/routing/`).execute('SELECT 1')).rejects.toThrow(
      /Unexpected server response: 404/,
    )
  })
})

describe('startSqld with auth', () => {
  it('requires the JWT it hands out, and signs narrower ones', async () => {
    const server = await startSqld({ auth: true })
    try {
      expect(server.authToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/)
      await expect(connect(server.url).execute('SELECT 1')).rejects.toThrow(/HTTP status 401/)
      expect((await connect(server.url, server.authToken).execute('SELECT 1 AS one')).rows[0]?.one).toBe(1)
      expect((await connect(server.wsUrl, server.authToken).execute('SELECT 1 AS one')).rows[0]?.one).toBe(1)
      const readOnly = connect(server.url, server.signToken({ a: 'ro' }))
      await expect(readOnly.execute('CREATE TABLE t(x)')).rejects.toThrow(/HTTP status 403/)
    } finally {
      await server.stop()
    }
  })
})

describe('startSqld life cycle', () => {
  it('stops the process and removes its data directory; stop() is idempotent', async () => {
    const server = await startSqld()
    expect(isAlive(server.pid)).toBe(true)
    await server.stop()
    expect(isAlive(server.pid)).toBe(false)
    expect(existsSync(server.dataDir)).toBe(false)
    await server.stop()
  })

  it('starts servers side by side on different ports', async () => {
    const [first, second] = await Promise.all([startSqld(), startSqld()])
    try {
      expect(first.url).not.toBe(second.url)
      await connect(first.url).execute('CREATE TABLE only_in_first(x)')
      await expect(connect(second.url).execute('SELECT * FROM only_in_first')).rejects.toThrow(/no such table/)
    } finally {
      await Promise.all([first.stop(), second.stop()])
    }
  })

  it('fails a start-up that does not become healthy in time, and leaves nothing behind', async () => {
    const error = await startSqld({ startTimeoutMs: 0 }).then(
      () => undefined,
      (caught: unknown) => caught,
    )
    expect(error).toBeInstanceOf(SqldError)
    const sqldError = error as SqldError
    expect(sqldError.code).toBe('sqld_failed')
    expect(sqldError.message).toMatch(/did not answer http:\/\/127\.0\.0\.1:\d+\/health within 0 ms\. Its output:/)
    expect(sqldError.pid).toBeGreaterThan(0)
    expect(isAlive(sqldError.pid ?? 0)).toBe(false)
    expect(existsSync(sqldError.dataDir ?? '')).toBe(false)
  })

  it('shuts itself down when nobody talks to it (the safety net for a SIGKILLed test process)', async () => {
    const server = await startSqld({ idleShutdownSeconds: 1 })
    try {
      expect(await waitUntilGone(server.pid, 15_000)).toBe(true)
      expect(server.output()).toMatch(/shut/i)
    } finally {
      await server.stop()
    }
    expect(existsSync(server.dataDir)).toBe(false)
  })

  it('kills its servers when the process that started them dies of an uncaught error', async () => {
    const sqldModule = fileURLToPath(new URL('./sqld.ts', import.meta.url))
    const script = [
      'const loaded = await import(process.argv[1])',
      'const { startSqld } = loaded.startSqld ? loaded : loaded.default',
      'const server = await startSqld()',
      'console.log(JSON.stringify({ pid: server.pid, dataDir: server.dataDir }))',
      "throw new Error('test process crashed')",
    ].join('\n')
    const child = spawn(
      process.execPath,
      ['--import', 'jiti/register', '--input-type=module', '-e', script, sqldModule],
      {
        // jiti (a dependency of this package) runs the TypeScript module; resolve it from the package folder.
        cwd: fileURLToPath(new URL('../..', import.meta.url)),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
    })
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    const exitCode = await new Promise<number | null>((resolve) => child.once('exit', resolve))

    expect(stderr).toContain('test process crashed')
    expect(exitCode).toBe(1)
    const started = JSON.parse(stdout.trim()) as { pid: number; dataDir: string }
    expect(await waitUntilGone(started.pid, 5_000)).toBe(true)
    expect(existsSync(started.dataDir)).toBe(false)
  })
})
