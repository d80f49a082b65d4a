/**
 * One measurement = one fresh child process, timed from spawn to exit with a monotonic clock. Nothing
 * is cached between runs except what the operating system caches on its own (both tools get the same
 * warm-up, see `warmUp` in the scenarios).
 *
 * Peak memory (max RSS) comes from GNU time (`/usr/bin/time -f %M`) when it exists; otherwise from a
 * tiny `--import` preload that writes `process.resourceUsage().maxRSS` when the process exits.
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const GNU_TIME = '/usr/bin/time'
const RSS_PRELOAD = new URL('./max-rss-preload.mjs', import.meta.url)
const RSS_FILE_ENV = 'BENCH_MAX_RSS_FILE'
const DEFAULT_TIMEOUT_MS = 10 * 60_000

/** How peak memory is measured on this machine, for the report. */
export function memoryMethod() {
  return existsSync(GNU_TIME)
    ? 'GNU time (/usr/bin/time -f %M): max RSS of the process'
    : 'process.resourceUsage().maxRSS at exit (--import preload)'
}

/** A child process ended badly: the message carries its output so that a broken fixture is obvious. */
export class MeasuredProcessError extends Error {
  constructor(label, result) {
    const output = `${result.stderr}\n${result.stdout}`.trim().split('\n').slice(-15).join('\n')
    super(`${label} exited with ${result.exitCode ?? result.signal} after ${Math.round(result.ms)} ms:\n${output}`)
    this.name = 'MeasuredProcessError'
    this.result = result
  }
}

async function withRssCapture(command, args, env) {
  const dir = await mkdtemp(join(tmpdir(), 'ash-bench-rss-'))
  const file = join(dir, 'max-rss')
  if (existsSync(GNU_TIME)) {
    return { dir, file, command: GNU_TIME, args: ['-f', '%M %U %S', '-o', file, command, ...args], env }
  }
  const nodeOptions = `${env.NODE_OPTIONS ?? ''} --import=${RSS_PRELOAD.href}`.trim()
  return { dir, file, command, args, env: { ...env, NODE_OPTIONS: nodeOptions, [RSS_FILE_ENV]: file } }
}

/**
 * `{ maxRssKb, cpuMs }` from the probe's file: "<max RSS KB> <user s> <system s>". CPU time (user + system)
 * is what the process itself consumed: on a shared machine it says more than wall time, which waits for the
 * other processes too. GNU time may prefix a line like "Command exited with non-zero status 1"; the numbers
 * are on the last line.
 */
async function readProbe(file) {
  const text = await readFile(file, 'utf8').catch(() => '')
  const [rss, user, system] = (text.trim().split('\n').pop() ?? '').trim().split(/\s+/)
  const kb = Number.parseInt(rss ?? '', 10)
  const cpu = (Number.parseFloat(user ?? '') + Number.parseFloat(system ?? '')) * 1000
  return { maxRssKb: Number.isFinite(kb) ? kb : null, cpuMs: Number.isFinite(cpu) ? cpu : null }
}

/**
 * Runs `command args` in `cwd` once and returns `{ ms, exitCode, signal, stdout, stderr, maxRssKb, cpuMs }`.
 * `ms` is wall time from just before spawn to the exit event. With `memory: true` the process runs
 * under the peak-memory probe (adds ~1 ms of exec overhead, so timings of different scenarios are only
 * compared within a scenario, where both sides get the same treatment).
 */
export async function runProcess({ command, args = [], cwd, env = process.env, memory = false, timeoutMs }) {
  const capture = memory ? await withRssCapture(command, args, env) : null
  const spawned = capture ?? { command, args, env }
  const started = process.hrtime.bigint()
  const child = spawn(spawned.command, spawned.args, { cwd, env: spawned.env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    stdout += chunk
  })
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    stderr += chunk
  })
  const exited = new Promise((resolveExit, reject) => {
    child.once('error', reject)
    child.once('exit', (code, sig) => {
      resolveExit({ exitCode: code, signal: sig, ms: Number(process.hrtime.bigint() - started) / 1e6 })
    })
  })
  // 'exit' can fire before the pipes drain; 'close' says the output is complete.
  const closed = new Promise((resolveClose) => child.once('close', resolveClose))
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs ?? DEFAULT_TIMEOUT_MS)
  try {
    const { exitCode, signal, ms } = await exited
    await closed
    const { maxRssKb, cpuMs } = capture ? await readProbe(capture.file) : { maxRssKb: null, cpuMs: null }
    return { ms, exitCode, signal, stdout, stderr, maxRssKb, cpuMs }
  } finally {
    clearTimeout(timer)
    if (capture) await rm(capture.dir, { recursive: true, force: true })
  }
}

/** `runProcess`, but a non-zero exit is an error (labelled with what was being measured). */
export async function runProcessOk(label, options) {
  const result = await runProcess(options)
  if (result.exitCode !== 0) throw new MeasuredProcessError(label, result)
  return result
}

/** The Node binary running the bench; both tools are started with it. */
export const NODE = process.execPath
