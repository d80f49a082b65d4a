/**
 * Presenting results: a console table while running, and bench/RESULTS.md + bench/results.json.
 * ratio = ours median / theirs median, so below 1 means ash-sqlite is faster (or smaller); a target is
 * met when the ratio is at or below it.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { runProcess } from './measure.mjs'
import { packageBin, REPO_ROOT } from './packages.mjs'
import { ratioOf } from './stats.mjs'

/** Adds `ratio` and `met` to each row. */
export function withRatios(rows) {
  return rows.map((row) => {
    const ratio = ratioOf(row.ours, row.theirs)
    const met = ratio === null || row.target === null ? null : ratio <= row.target
    return { ...row, ratio, met }
  })
}

function number(value, unit) {
  if (unit === 'MB') return value.toFixed(value < 100 ? 1 : 0)
  return value < 10 ? value.toFixed(1) : String(Math.round(value))
}

export function formatSummary(summary, unit) {
  if (!summary) return 'n/a'
  return `${number(summary.median, unit)} ${unit} [${number(summary.min, unit)}–${number(summary.max, unit)}]`
}

function sizeLabel(row) {
  if (row.sizeLabel) return row.sizeLabel
  return row.size === null ? '' : `${row.size} tables`
}

const HEADERS = [
  'scenario',
  'size',
  'ash-sqlite median [min–max]',
  'drizzle median [min–max]',
  'ratio',
  'target',
  'met?',
]

function cells(row) {
  return [
    row.scenario,
    sizeLabel(row),
    formatSummary(row.ours, row.unit),
    formatSummary(row.theirs, row.unit),
    row.ratio === null ? '-' : `${row.ratio.toFixed(2)}x`,
    row.target === null ? '-' : `≤ ${row.target}x`,
    row.met === null ? '-' : row.met ? 'yes' : 'NO',
  ]
}

/** A plain-text table for the terminal. */
export function renderConsoleTable(rows) {
  const table = [HEADERS, ...rows.map(cells)]
  const widths = HEADERS.map((_, column) => Math.max(...table.map((line) => line[column].length)))
  const line = (values) =>
    values
      .map((value, column) => value.padEnd(widths[column]))
      .join('  ')
      .trimEnd()
  return [line(HEADERS), widths.map((width) => '-'.repeat(width)).join('  '), ...table.slice(1).map(line)].join('\n')
}

function markdownTable(rows) {
  const escapePipes = (text) => text.replaceAll('|', '\\|')
  return [
    `| ${HEADERS.join(' | ')} |`,
    `|${HEADERS.map((_, i) => (i >= 2 ? ' ---: ' : ' --- ')).join('|')}|`,
    ...rows.map((row) => `| ${cells(row).map(escapePipes).join(' | ')} |`),
  ].join('\n')
}

/** Every error of every row, each once. */
export function collectErrors(rows) {
  const errors = new Set()
  for (const row of rows) {
    for (const [side, message] of Object.entries(row.errors ?? {})) {
      const who = { ours: 'ash-sqlite', theirs: 'drizzle', bench: 'bench' }[side] ?? side
      errors.add(`${who}: ${message}`)
    }
  }
  return [...errors]
}

function notes(rows) {
  return rows
    .filter((row) => row.note)
    .map((row) => `- ${row.scenario}${row.size === null ? '' : `, ${sizeLabel(row)}`}: ${row.note}`)
}

export function renderMarkdown(run) {
  const { machine, versions, options, rows } = run
  const errors = collectErrors(rows)
  const versionLines = Object.entries(versions).map(([name, version]) => `- ${name} ${version ?? '(not installed)'}`)
  return `# Benchmark results

Latest run: ${run.date}, \`${run.command}\` (generate sizes ${options.sizes.join(', ')}; ${options.runs} measured runs per side after one warm-up; ${options.migrations} migrations; peak memory at ${options.memorySize} tables). Took ${Math.round(run.durationMs / 1000)} s.

ratio = ash-sqlite median / drizzle median (below 1: ash-sqlite is faster or smaller). Targets are goals from the issue, not tests. See [README.md](README.md) for what each scenario measures.

## Machine

- CPU: ${machine.cpu} (${machine.cores} logical cores)
- Memory: ${machine.memoryGb} GB
- OS: ${machine.os}
- Node: ${machine.node}
- Peak memory: ${run.memoryMethod}

## Versions

${versionLines.join('\n')}
- repository: ${machine.git ?? 'unknown'}

## Results

${markdownTable(rows)}
${run.ash.available ? '' : `\nash-sqlite was not measured: ${run.ash.reason}.\n`}
## Notes

${[...notes(rows), ...errors.map((error) => `- error: ${error.split('\n')[0]}`)].join('\n') || '- none'}
`
}

/**
 * Runs the repository's formatter over the written files, so that committing them keeps `pnpm lint`
 * clean (biome aligns markdown tables and folds short JSON arrays). Returns an error message or null.
 */
async function formatWithBiome(files) {
  const biome = packageBin('@biomejs/biome')
  if (!biome) return 'biome is not installed'
  const result = await runProcess({ command: biome, args: ['format', '--write', ...files], cwd: REPO_ROOT })
  return result.exitCode === 0
    ? null
    : `biome format exited with ${result.exitCode}: ${result.stderr.trim().split('\n')[0]}`
}

/** Writes RESULTS.md and results.json into `dir`; returns a warning when they could not be formatted. */
export async function writeResults(dir, run) {
  const files = [join(dir, 'RESULTS.md'), join(dir, 'results.json')]
  await writeFile(files[0], renderMarkdown(run))
  await writeFile(files[1], `${JSON.stringify(run, null, 2)}\n`)
  return formatWithBiome(files)
}
