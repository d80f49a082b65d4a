import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'

/** Every file under `dir` as `{ 'a/b.json': contents }` (posix keys, sorted); `{}` if `dir` is missing. */
export async function readTree(dir: string): Promise<Record<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => [])
  const files: [string, string][] = []
  for (const entry of entries) {
    if (!entry.isFile()) continue
    const file = path.join(entry.parentPath, entry.name)
    files.push([path.relative(dir, file).split(path.sep).join('/'), await readFile(file, 'utf8')])
  }
  return Object.fromEntries(files.sort(([a], [b]) => (a < b ? -1 : 1)))
}
