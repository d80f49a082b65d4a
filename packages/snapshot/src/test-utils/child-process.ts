import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import ts from 'typescript'

const SOURCE_DIR = fileURLToPath(new URL('..', import.meta.url))

/**
 * Compile the package's sources to plain ESM in `outDir` for a child process (Node 20 cannot run .ts), without
 * type checking or module resolution, so it does not depend on other packages being built. Returns the file
 * URL of its index.js.
 */
export async function transpilePackage(outDir: string): Promise<string> {
  const sources = (await readdir(SOURCE_DIR)).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
  for (const name of sources) {
    const { outputText } = ts.transpileModule(await readFile(path.join(SOURCE_DIR, name), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
      fileName: name,
    })
    await writeFile(path.join(outDir, name.replace(/\.ts$/, '.js')), outputText)
  }
  await writeFile(path.join(outDir, 'package.json'), '{ "type": "module" }\n')
  return pathToFileURL(path.join(outDir, 'index.js')).href
}

export interface RunningChild {
  process: ChildProcess
  /** Resolves when the child prints `line`; rejects if it exits first (with its stderr). */
  waitForLine(line: string): Promise<void>
  /** SIGKILL the child and wait until it is gone. */
  kill(): Promise<void>
}

/** Run a `.mjs` script in a new Node process. */
export function startChild(script: string, args: readonly string[]): RunningChild {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
  })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  const exited = once(child, 'close')
  return {
    process: child,
    waitForLine: (line) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (stdout.split('\n').includes(line)) resolve()
        }
        child.stdout.on('data', check)
        check()
        exited.then(() => {
          check()
          reject(new Error(`child exited before printing ${line}: ${stderr || stdout}`))
        })
      }),
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      await exited
    },
  }
}

/** Path of a script in `src/__fixtures__/`. */
export function fixtureScript(name: string): string {
  return path.join(SOURCE_DIR, '__fixtures__', name)
}
