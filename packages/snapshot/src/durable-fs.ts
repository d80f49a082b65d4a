import { open } from 'node:fs/promises'

/** The `code` of a Node.js system error (`ENOENT`, ...), if it is one. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : undefined
}

/** Create `file` (failing if it exists) with `contents`, flushed to the disk before this resolves. */
export async function writeNewFileDurably(file: string, contents: string): Promise<void> {
  const handle = await open(file, 'wx')
  try {
    await handle.writeFile(contents, 'utf8')
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/**
 * Flush a folder's entries (new names, renames, deletions) to the disk. Best effort: Windows cannot open a
 * folder for fsync, and there the filesystem journals renames itself.
 */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => undefined)
  if (handle === undefined) return
  try {
    await handle.sync()
  } catch {
    // Some filesystems refuse fsync on folders (EINVAL); nothing more can be done there.
  } finally {
    await handle.close()
  }
}
