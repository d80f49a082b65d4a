/**
 * A loopback HTTP proxy in front of sqld that answers every request `delayMs` late: a slow network link,
 * so a migrator's transaction lasts as long as the test needs without keeping the CPU busy. It also says
 * when a `BEGIN IMMEDIATE` sent through it has been answered, i.e. when its client holds the write lock.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface SlowProxy {
  readonly url: string
  /** Resolves once a request containing `BEGIN IMMEDIATE` has been answered by the server. */
  readonly writeLockTaken: Promise<void>
  close(): Promise<void>
}

export async function startSlowProxy(upstream: string, delayMs: number): Promise<SlowProxy> {
  let lockTaken!: () => void
  const writeLockTaken = new Promise<void>((resolve) => {
    lockTaken = resolve
  })
  const forward = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const body = await readBody(request)
    await new Promise((resolve) => setTimeout(resolve, delayMs))
    const headers = Object.fromEntries(
      Object.entries(request.headers).filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string' && entry[0] !== 'host',
      ),
    )
    const answer = await fetch(new URL(request.url ?? '/', upstream), {
      method: request.method,
      headers,
      ...(body.length > 0 ? { body } : {}),
    })
    const payload = Buffer.from(await answer.arrayBuffer())
    response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' })
    response.end(payload)
    if (body.toString().includes('BEGIN IMMEDIATE') && answer.ok) lockTaken()
  }
  const server: Server = createServer((request, response) => {
    forward(request, response).catch((error: unknown) => {
      response.writeHead(502).end(String(error))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    writeLockTaken,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}
