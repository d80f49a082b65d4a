import { existsSync, readFileSync } from 'node:fs'
import { isAbsolute, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ModuleSyntaxError, type SourcePosition } from './fast-transform.js'
import type { ModuleLoader } from './module-loader.js'

/** Where in the user's files a load error happened: the file, 1-based line and column, and the line itself. */
export interface LoadErrorLocation {
  readonly file: string
  readonly line: number
  /** 1-based, as editors and tsc count. */
  readonly column: number
  readonly frame: string
}

/**
 * Why the config file `configFile` (or a module it imports) failed to load, in the user's terms. When the
 * error can be traced to a file of the project (a syntax error found by the transform, or the innermost
 * stack frame in a project file outside node_modules for an error thrown while the modules ran), it reads
 * like a compiler's: `<file>:<line>:<col>: <first line of the cause>` and a small code frame of that line.
 * Otherwise: `Cannot load <config>: <first line of the cause>`.
 */
export function describeLoadError(error: unknown, loader: ModuleLoader, configFile: string, cwd: string): string {
  const message = firstLine(error)
  const configName = displayPath(configFile, cwd)
  const location = locateLoadError(error, loader, cwd)
  if (location === undefined) return `Cannot load ${configName}: ${message}`
  const where = `${displayPath(location.file, cwd)}:${location.line}:${location.column}`
  const loading = location.file === configFile ? '' : ` (while loading ${configName})`
  return `${where}: ${message}${loading}\n${location.frame}`
}

export function locateLoadError(error: unknown, loader: ModuleLoader, cwd: string): LoadErrorLocation | undefined {
  if (error instanceof ModuleSyntaxError) return located(error.file, error.position)
  if (!(error instanceof Error) || typeof error.stack !== 'string') return undefined
  return nativeSyntaxErrorLocation(error) ?? babelErrorLocation(error, cwd) ?? stackLocation(error.stack, loader, cwd)
}

/** jiti's Babel fallback ends a parse error's message with `<file>:<line>:<column>` (column 0-based). */
function babelErrorLocation(error: Error, cwd: string): LoadErrorLocation | undefined {
  const match = /((?:\/|[A-Za-z]:\\)\S+):(\d+):(\d+)\s*$/.exec(error.message)
  if (match === null || !isProjectFile(match[1]!, cwd)) return undefined
  return located(match[1]!, { line: Number(match[2]), column: Number(match[3]) })
}

/** A native ESM parse error (a `.mjs`/`.js` config): V8 puts `file:line`, the line and a caret before the stack. */
function nativeSyntaxErrorLocation(error: Error): LoadErrorLocation | undefined {
  if (error.name !== 'SyntaxError') return undefined
  const match = /^(file:\/\/\S+|\/\S+|[A-Za-z]:\\\S+):(\d+)\n(.*)\n(\s*)\^/.exec(error.stack ?? '')
  if (match === null) return undefined
  const file = match[1]!.startsWith('file:') ? fileURLToPath(match[1]!) : match[1]!
  return located(file, { line: Number(match[2]), column: match[4]!.length })
}

const STACK_FRAME = /^\s*at (?:.*? \()?((?:file:\/\/)?(?:\/|[A-Za-z]:\\).*?):(\d+):(\d+)\)?$/

/** The innermost frame in a project file, mapped back through the transform when jiti transformed it. */
function stackLocation(stack: string, loader: ModuleLoader, cwd: string): LoadErrorLocation | undefined {
  for (const line of stack.split('\n')) {
    const match = STACK_FRAME.exec(line)
    if (match === null) continue
    const file = match[1]!.startsWith('file:') ? fileURLToPath(match[1]!) : match[1]!
    if (!isProjectFile(file, cwd)) continue
    const generated = { line: Number(match[2]), column: Number(match[3]) - 1 }
    if (!isTypeScript(file) || loader.fastTransform === undefined) return located(file, generated)
    const source = readSource(file)
    if (source === undefined) return undefined
    const original = loader.fastTransform.originalPosition(file, source, generated)
    return original === undefined ? undefined : located(file, original, source)
  }
  return undefined
}

function isProjectFile(file: string, cwd: string): boolean {
  const path = relative(cwd, file)
  return (
    path !== '' &&
    !path.startsWith('..') &&
    !isAbsolute(path) &&
    !path.split(sep).includes('node_modules') &&
    existsSync(file)
  )
}

function isTypeScript(file: string): boolean {
  return /\.[cm]?tsx?$/.test(file)
}

function located(file: string, position: SourcePosition, source = readSource(file)): LoadErrorLocation | undefined {
  if (source === undefined) return undefined
  return { file, line: position.line, column: position.column + 1, frame: codeFrame(source, position) }
}

function readSource(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
}

/**
 * The line before the position, the line itself and a caret under the column, numbered like an editor:
 *     2 |   a: 1,
 *   > 3 |   b: 2 3
 *       |        ^
 */
export function codeFrame(source: string, position: SourcePosition): string {
  const lines = source.split(/\r?\n/)
  const first = Math.max(1, position.line - 1)
  const last = Math.min(lines.length, position.line)
  const width = String(last).length
  const out: string[] = []
  for (let number = first; number <= last; number++) {
    const text = lines[number - 1] ?? ''
    const marker = number === position.line ? '>' : ' '
    out.push(`${marker} ${String(number).padStart(width)} | ${text}`.trimEnd())
    if (number === position.line) {
      const indent = text.slice(0, position.column).replace(/[^\t]/g, ' ')
      out.push(`  ${' '.repeat(width)} | ${indent}^`)
    }
  }
  return out.join('\n')
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  const line = message.trim().split('\n')[0]?.trim() ?? ''
  if (error instanceof ModuleSyntaxError) return `SyntaxError: ${line}`
  if (error instanceof Error && isBuiltinErrorName(error.name)) return `${error.name}: ${line}`
  return line
}

function isBuiltinErrorName(name: string): boolean {
  return ['SyntaxError', 'TypeError', 'ReferenceError', 'RangeError'].includes(name)
}

function displayPath(file: string, cwd: string): string {
  const path = relative(cwd, file)
  return path === '' || path.startsWith('..') ? file : path
}
