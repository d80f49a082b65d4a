/**
 * Runs a schema evolution scenario against a real SQLite file through the real commands: after each step,
 * `generate` + `migrate` must leave exactly the schema the resources describe and the data the model
 * predicts; a second `generate` must find nothing to do. At the end every migration is rolled back (the
 * database must be empty again, `status` must list everything as pending), and `migrate` must rebuild the
 * final schema both on that database and on a fresh one.
 */
import { join } from 'node:path'
import { type Client, createClient } from '@libsql/client'
import type { ResolvedConfig } from '../../config/resolved-config.js'
import { generate } from '../../generator/generate.js'
import { migrate } from '../../migrator/migrate.js'
import { rollback } from '../../migrator/rollback.js'
import { status } from '../../migrator/status.js'
import type { MigrationRunResult } from '../../migrator/types.js'
import { createTempDir } from '../../test-utils/migration-fixtures.js'
import { type DataModel, planStepData, seedRows } from './data-model.js'
import { assertSame } from './differences.js'
import { comparableData, deleteRows, insertRows, readRows } from './live-data.js'
import { expectedSchema, readLiveSchema, schemaObjects } from './live-schema.js'
import { DATABASE_FILE, modelConfig } from './model-resources.js'
import { describeScenario, type EvolutionStep, type Scenario } from './scenario.js'
import { applyCommand, EMPTY_SCHEMA, type SchemaModel, startStep } from './schema-model.js'

/** Each step's migration gets its own second, so folder names follow the steps. */
function stepClock(step: number): Date {
  return new Date(Date.UTC(2026, 0, 1, 0, 0, step))
}

interface RunState {
  readonly model: SchemaModel
  readonly data: DataModel
  /** The next row id (ids are never reused, across tables). */
  readonly nextId: number
  readonly config: ResolvedConfig
  /** The model after each migration generated so far, the empty schema first. */
  readonly migrated: readonly SchemaModel[]
}

export async function runScenario(scenario: Scenario): Promise<void> {
  const dir = await createTempDir('ash-sqlite-evolution-')
  const client = createClient({ url: `file:${join(dir.path, DATABASE_FILE)}` })
  try {
    let state: RunState = {
      model: EMPTY_SCHEMA,
      data: new Map(),
      nextId: 1,
      config: modelConfig(EMPTY_SCHEMA, dir.path),
      migrated: [EMPTY_SCHEMA],
    }
    for (const [index, step] of scenario.steps.entries()) {
      try {
        state = await runStep(client, dir.path, state, step, index)
      } catch (error) {
        throw withContext(error, `step ${index} of\n${describeScenario(scenario)}\n`)
      }
    }
    try {
      await expectRollbackAndReplay(client, state, dir.path)
    } catch (error) {
      throw withContext(error, `rollback and replay of\n${describeScenario(scenario)}\n`)
    }
  } finally {
    client.close()
    await dir.remove()
  }
}

async function runStep(
  client: Client,
  cwd: string,
  state: RunState,
  step: EvolutionStep,
  index: number,
): Promise<RunState> {
  const start = startStep(state.model)
  const model = step.commands.reduce(applyCommand, start)
  const plan = planStepData(start, model, state.data)
  await deleteRows(client, plan.deletions)
  const config = modelConfig(model, cwd)
  // Every rename is declared (renamedFrom); a column dropped and another added in one step are just that.
  const generated = await generate(config, { now: stepClock(index), noRenames: true })
  const sequences = await raisedSequences(client)
  expectOk(await migrate(config), 'migrate')
  await expectSequencesKept(client, sequences, model)
  const again = await generate(config, { check: true })
  if (again.changed) throw new Error(`a second generate wants to write ${again.files.length} more files`)
  assertSame(await readLiveSchema(client), expectedSchema(model), 'live schema')
  assertSame(comparableData(await readRows(client, model)), comparableData(plan.after), 'data')
  const seeded = seedRows(model, plan.after, step.rows, state.nextId)
  await insertRows(client, seeded.inserts, model)
  const migrated = generated.repos.some((repo) => repo.migration !== null) ? [...state.migrated, model] : state.migrated
  return { model, data: seeded.data, nextId: seeded.nextId, config, migrated }
}

/**
 * Rows are cleared first: a down migration may legitimately need an empty table (re-adding a NOT NULL column
 * without default, say), which the model does not predict in reverse. Then each migration is rolled back on
 * its own (the schema must be the previous step's), everything is migrated again and rolled back at once.
 */
async function expectRollbackAndReplay(client: Client, state: RunState, cwd: string): Promise<void> {
  const { config, model } = state
  await deleteRows(client, await allRowIds(client, model))
  for (let index = state.migrated.length - 1; index > 0; index--) {
    expectOk(await rollback(config), `rollback of migration ${index}`)
    assertSame(
      await readLiveSchema(client),
      expectedSchema(state.migrated[index - 1]!),
      `schema after rollback of migration ${index}`,
    )
  }
  expectOk(await migrate(config), 'migrate after rolling back one by one')
  assertSame(await readLiveSchema(client), expectedSchema(model), 'schema after rolling back one by one and migrating')

  expectOk(await rollback(config, { all: true }), 'rollback --all')
  assertSame(await schemaObjects(client), ['table __drizzle_migrations'], 'what rolling everything back leaves')
  const states = (await status(config)).databases.flatMap((database) => database.migrations.map((entry) => entry.state))
  if (states.length !== state.migrated.length - 1 || states.some((entry) => entry !== 'pending')) {
    throw new Error(
      `status after rolling everything back: ${JSON.stringify(states)}, expected ${state.migrated.length - 1} pending`,
    )
  }
  expectOk(await migrate(config), 'migrate after rollback --all')
  assertSame(await readLiveSchema(client), expectedSchema(model), 'schema after rollback --all and migrate')

  const fresh = onDatabase(config, 'file:fresh.db')
  expectOk(await migrate(fresh), 'migrate a fresh database')
  const freshClient = createClient({ url: `file:${join(cwd, 'fresh.db')}` })
  try {
    assertSame(await readLiveSchema(freshClient), expectedSchema(model), 'schema of a fresh database')
  } finally {
    freshClient.close()
  }
}

/**
 * Raises every AUTOINCREMENT high-water mark above the highest id, as deleted rows leave it in real databases,
 * and returns them: a rebuild must carry them over, or ids get reused.
 */
async function raisedSequences(client: Client): Promise<Map<string, number>> {
  const exists = await client.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'")
  if (exists.rows.length === 0) return new Map()
  await client.execute('UPDATE sqlite_sequence SET seq = seq + 1000')
  const rows = await client.execute('SELECT name, seq FROM sqlite_sequence')
  return new Map(rows.rows.map((row) => [String(row.name), Number(row.seq)]))
}

async function expectSequencesKept(client: Client, before: Map<string, number>, model: SchemaModel): Promise<void> {
  if (before.size === 0) return
  const rows = await client.execute('SELECT name, seq FROM sqlite_sequence')
  const after = new Map(rows.rows.map((row) => [String(row.name), Number(row.seq)]))
  for (const table of model.tables) {
    const previous = table.origin === null ? undefined : before.get(table.origin)
    if (table.key !== 'integer' || previous === undefined) continue
    const now = after.get(table.name) ?? 0
    if (now < previous) throw new Error(`sqlite_sequence of ${table.name} went from ${previous} down to ${now}`)
  }
}

async function allRowIds(client: Client, model: SchemaModel) {
  const rows = await readRows(client, model)
  return new Map([...rows].map(([table, tableRows]) => [table, tableRows.map((row) => row.id)]))
}

function onDatabase(config: ResolvedConfig, url: string): ResolvedConfig {
  return {
    ...config,
    repos: config.repos.map((repo) => ({ ...repo, repo: { kind: 'repo', name: repo.name, url } })),
  }
}

function expectOk(result: MigrationRunResult, what: string): void {
  if (result.ok) return
  const failures = result.databases.flatMap((database) => [
    ...(database.error ? [`${database.database}: ${database.error.message}`] : []),
    ...database.results
      .filter((migration) => migration.status === 'error')
      .map(
        (migration) =>
          `${migration.migrationName} (${migration.direction}): ${migration.error?.message}` +
          (migration.statement ? `\n      statement: ${migration.statement}` : ''),
      ),
  ])
  throw new Error(`${what} failed:\n  ${failures.join('\n  ')}`)
}

function withContext(error: unknown, context: string): Error {
  const message = error instanceof Error ? error.message : String(error)
  const wrapped = new Error(`${context}\n${message}`, { cause: error })
  if (error instanceof Error && error.stack)
    wrapped.stack = `${wrapped.message}\n${error.stack.split('\n').slice(1).join('\n')}`
  return wrapped
}
