/**
 * The commands under test. drizzle-kit must be installed (it is a dependency of bench/); ash-sqlite is
 * used from the workspace build and may be missing while the packages are being written, in which case
 * every scenario still measures the drizzle side and reports ours as not available.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { NODE, runProcess } from './measure.mjs'
import { packageBin, REPO_ROOT } from './packages.mjs'

const ASH_BUILD_OUTPUTS = ['packages/resource/dist/index.js', 'packages/migrations/dist/index.js']

async function detectAsh() {
  const bin = join(REPO_ROOT, 'packages', 'migrations', 'bin', 'ash-sqlite.js')
  if (!existsSync(bin)) return { bin, available: false, reason: 'packages/migrations/bin/ash-sqlite.js does not exist' }
  const missing = ASH_BUILD_OUTPUTS.filter((file) => !existsSync(join(REPO_ROOT, file)))
  if (missing.length > 0) {
    return { bin, available: false, reason: `not built (missing ${missing.join(', ')}); run \`pnpm build\`` }
  }
  const help = await runProcess({ command: NODE, args: [bin, '--help'], cwd: REPO_ROOT })
  if (help.exitCode !== 0) {
    const detail = `${help.stderr}${help.stdout}`.trim().split('\n').slice(0, 3).join(' | ')
    return { bin, available: false, reason: `\`ash-sqlite --help\` exited with ${help.exitCode}: ${detail}` }
  }
  return { bin, available: true, reason: null }
}

/** `{ node, drizzleKitBin, ash: { bin, available, reason } }`. Throws when drizzle-kit is not installed. */
export async function detectTools() {
  const drizzleKitBin = packageBin('drizzle-kit')
  if (!drizzleKitBin || !existsSync(drizzleKitBin)) {
    throw new Error(
      'drizzle-kit is not installed in bench/: run `npx --yes pnpm@10.34.9 install` at the repository root',
    )
  }
  return { node: NODE, drizzleKitBin, ash: await detectAsh() }
}
