/**
 * The static module graph of a TypeScript entry of this package, compiled one file at a time (as a bundler
 * would) into ES modules Miniflare can load as a Worker. Also tells which non-relative specifiers the graph
 * imports, so a test can prove a path loads no `node:` module and no package.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative, resolve } from 'node:path'
import { packageDir } from './temp-project.js'

const require = createRequire(import.meta.url)
const ts = require('typescript') as typeof import('typescript')

export interface WorkerModule {
  readonly type: 'ESModule'
  /** Path under `root`, with a `.js` extension. */
  readonly path: string
  readonly contents: string
}

export interface ModuleGraph {
  readonly modules: WorkerModule[]
  /** Static imports that are not relative files (`node:...`, package names), by importing file. */
  readonly external: { readonly from: string; readonly specifier: string }[]
}

const srcDir = join(packageDir, 'src')
const packagesDir = join(packageDir, '..')

/** Workspace subpath exports the Worker path may use, resolved to their sources (a bundler would do the same). */
const workspaceSources: Readonly<Record<string, string>> = {
  '@ash-sqlite/snapshot/layout': join(packagesDir, 'snapshot', 'src', 'layout.ts'),
}
const staticImport = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g

/**
 * Compiles `entry` (a path under src/, e.g. `d1/index.ts`) and every file it statically imports. With
 * `compile: false` the sources are only scanned (type-only imports skipped), which is much faster.
 */
export function moduleGraph(entry: string, root: string, options: { compile?: boolean } = {}): ModuleGraph {
  const compile = options.compile ?? true
  const modules: WorkerModule[] = []
  const external: { from: string; specifier: string }[] = []
  const seen = new Set<string>()
  const visit = (file: string): void => {
    if (seen.has(file)) return
    seen.add(file)
    const source = readFileSync(file, 'utf8')
    const outputText = compile
      ? ts.transpileModule(source, {
          compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
          fileName: file,
        }).outputText
      : source.replace(/^(?:import|export) type [^;]*?from\s*['"][^'"]+['"]/gm, '')
    const name = moduleName(file)
    let contents = outputText
    for (const match of outputText.matchAll(staticImport)) {
      const specifier = (match[1] ?? match[2]) as string
      const workspace = workspaceSources[specifier]
      if (workspace !== undefined) {
        const target = relative(dirname(name), moduleName(workspace))
        contents = contents.replace(`'${specifier}'`, `'${target.startsWith('.') ? target : `./${target}`}'`)
        visit(workspace)
        continue
      }
      if (!specifier.startsWith('.')) {
        external.push({ from: name, specifier })
        continue
      }
      visit(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')))
    }
    modules.push({ type: 'ESModule', path: join(root, name), contents })
  }
  // Sources of this package keep their path under src/; a workspace package's go under `_workspace/<package>/`.
  const moduleName = (file: string): string =>
    (file.startsWith(srcDir) ? relative(srcDir, file) : join('_workspace', relative(packagesDir, file))).replace(
      /\.ts$/,
      '.js',
    )
  visit(join(srcDir, entry))
  return { modules, external }
}
