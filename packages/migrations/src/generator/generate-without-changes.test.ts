import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { createSnapshot, serializeSnapshot, snapshotPath } from '@ash-sqlite/snapshot'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { createTestProject, type TestProject } from './__fixtures__/project.js'
import { column, integerKey, table } from './__fixtures__/states.js'
import { isDrizzleKitLoaded } from './drizzle-kit.js'
import { generate } from './generate.js'

// Its own test file: vitest gives each file a fresh module graph, so nothing else has loaded drizzle-kit here.
let project: TestProject
beforeEach(async () => {
  project = await createTestProject()
})
afterEach(async () => {
  await project.remove()
})

const states = [table('notes', [integerKey(), column('body')]), table('tags', [integerKey(), column('name')])]

test('a run without changes hashes the states and never loads drizzle-kit', async () => {
  const config = project.config({ main: states })
  for (const state of config.repos[0]!.tables) {
    const file = join(config.snapshotsDir, snapshotPath('main', state.table, '20260101000000'))
    await mkdir(dirname(file), { recursive: true })
    await writeFile(file, serializeSnapshot(createSnapshot(state)))
  }
  const result = await generate(config)
  expect(result.changed).toBe(false)
  expect(isDrizzleKitLoaded()).toBe(false)

  // The same flag does turn on once a table changes, so the assertion above can fail.
  const changed = project.config({ main: [states[0]!, table('tags', [integerKey(), column('label')])] })
  await generate(changed, { check: true, noRenames: true })
  expect(isDrizzleKitLoaded()).toBe(true)
})
