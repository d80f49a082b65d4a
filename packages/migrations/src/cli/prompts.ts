import { AshSqliteError } from '../errors.js'
import type { RenameAmbiguity, RenameDecision } from '../generator/types.js'
import type { CliRuntime } from './runtime.js'

/** The user pressed Ctrl-C or Escape at a prompt: nothing was done, and a decision is still needed. */
export class PromptCancelledError extends AshSqliteError {
  override name = 'PromptCancelledError'
  constructor(what: string) {
    super('cancelled', `Cancelled: ${what}.`, { exitCode: 2 })
  }
}

/** Asks whether a new table or column is a renamed one (clack select), on a terminal only. */
export async function askRenameDecision(ambiguity: RenameAmbiguity, cli: CliRuntime): Promise<RenameDecision> {
  const { isCancel, select } = await import('@clack/prompts')
  cli.printer.endProgress()
  const subject =
    ambiguity.kind === 'table' ? `Table ${ambiguity.name} is new` : `Column ${ambiguity.table}.${ambiguity.name} is new`
  const dropped = ambiguity.candidates.map((candidate) => candidate.from).join(', ')
  const answer = await select<RenameDecision>({
    message: `[${ambiguity.repo}] ${subject} and ${dropped} ${ambiguity.candidates.length === 1 ? 'was' : 'were'} dropped. Was it renamed?`,
    options: [
      ...ambiguity.candidates.map((candidate) => ({
        value: { action: 'rename', from: candidate.from } as const,
        label: `rename from ${candidate.from}`,
        hint: candidate.flag,
      })),
      { value: { action: 'create' } as const, label: 'create new', hint: `drops ${dropped}` },
    ],
    ...promptStreams(cli),
  })
  if (isCancel(answer)) throw new PromptCancelledError('nothing was written')
  return answer
}

/** Asks before deleting databases (clack confirm, default no). */
export async function confirmDrop(description: string, cli: CliRuntime): Promise<boolean> {
  const { confirm, isCancel } = await import('@clack/prompts')
  cli.printer.endProgress()
  const answer = await confirm({
    message: `Delete ${description}? This cannot be undone.`,
    initialValue: false,
    ...promptStreams(cli),
  })
  if (isCancel(answer)) throw new PromptCancelledError('nothing was deleted')
  return answer
}

/** In `--json` mode stdout belongs to the JSON document, so the prompt draws on stderr. */
function promptStreams(cli: CliRuntime) {
  return {
    input: cli.io.stdin as NodeJS.ReadStream,
    output: (cli.printer.json ? cli.io.stderr : cli.io.stdout) as NodeJS.WriteStream,
  }
}
