/** What the numbers were measured on, for RESULTS.md. */
import { execFileSync } from 'node:child_process'
import os from 'node:os'
import { REPO_ROOT } from './packages.mjs'

function gitRevision() {
  try {
    const git = (args) =>
      execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
    const commit = git(['rev-parse', '--short', 'HEAD'])
    return git(['status', '--porcelain']).length > 0 ? `${commit} + uncommitted changes` : commit
  } catch {
    return null
  }
}

export function describeMachine() {
  const cpus = os.cpus()
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    node: process.version,
    git: gitRevision(),
  }
}
