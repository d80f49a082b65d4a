import { SnapshotError } from './errors.js'
import { snapshotFileName } from './layout.js'
import { isTimestamp } from './timestamp.js'

/** Relative path `<repo>/<table>/<timestamp>.json` (posix separators) of a snapshot file. */
export function snapshotPath(repo: string, table: string, timestamp: string): string {
  const file = `${repo}/${table}/${snapshotFileName(timestamp)}`
  checkSegment(repo, 'repo', file)
  checkSegment(table, 'table', file)
  if (!isTimestamp(timestamp)) {
    throw new SnapshotError({
      code: 'invalid_path_segment',
      file,
      problem: `"${timestamp}" is not a YYYYMMDDHHMMSS UTC timestamp`,
      fix: 'Use formatTimestamp or nextTimestamp to make one',
    })
  }
  return file
}

// The loader skips dot folders (staging, editor folders), so such a name would be written but never read back.
const UNUSABLE_SEGMENT = /^\.|[/\\\0]/

function checkSegment(name: string, what: 'repo' | 'table', file: string): void {
  if (name === '' || UNUSABLE_SEGMENT.test(name)) {
    throw new SnapshotError({
      code: 'invalid_path_segment',
      file,
      problem: `${what} name ${JSON.stringify(name)} cannot be a folder name`,
      fix: `Use a ${what} name that is not empty, does not start with "." and has no "/", "\\" or NUL`,
    })
  }
}
