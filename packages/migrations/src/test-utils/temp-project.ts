import { mkdirSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The root of this package (`packages/migrations`). */
export const packageDir: string = fileURLToPath(new URL('../../', import.meta.url))

/**
 * Where temporary projects live: inside the package (and gitignored), because a config file that imports
 * `@ash-sqlite/resource` resolves it through node_modules, which a directory under os.tmpdir() cannot reach.
 */
export const tempProjectsDir: string = join(packageDir, '.tmp-tests')

export interface TempProject {
  readonly dir: string
  /** Writes files relative to the project (creating folders). */
  write(files: Record<string, string>): Promise<void>
  remove(): Promise<void>
}

export async function createTempProject(files: Record<string, string> = {}): Promise<TempProject> {
  mkdirSync(tempProjectsDir, { recursive: true })
  const dir = await mkdtemp(join(tempProjectsDir, 'project-'))
  const project: TempProject = {
    dir,
    async write(more) {
      for (const [path, contents] of Object.entries(more)) {
        await mkdir(dirname(join(dir, path)), { recursive: true })
        await writeFile(join(dir, path), contents)
      }
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  }
  await project.write(files)
  return project
}
