/**
 * The change kinds of drizzle-kit's own SQLite tests (drizzle-team/drizzle-orm, `drizzle-kit/tests/sqlite/`:
 * sqlite-columns, sqlite-tables, sqlite-constraints, sqlite-defaults, sqlite-generated), replayed through
 * resources on a table that has rows, children (ON DELETE CASCADE) and grandchildren. Each case generates the
 * migration, applies it like the migrator to a real SQLite file, and checks the schema (as a fresh project
 * builds it), every row after up, and that down gives back every object and row (or, for a change that loses
 * values, every row count).
 */
import {
  type AnyAttribute,
  type AnyResource,
  attr,
  belongsTo,
  type Domain,
  defineDomain,
  defineRepo,
  defineResource,
} from '@ash-sqlite/resource'
import { sql } from 'drizzle-orm'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { type DatabaseDump, dumpDatabase } from './__fixtures__/database-dump.js'
import { comparable } from './__fixtures__/migrations.js'
import {
  createScenarioProject,
  freshSchema,
  openScenarioDatabase,
  type ScenarioProject,
  tick,
} from './__fixtures__/scenario-project.js'

const main = defineRepo({ name: 'main', url: 'file:unused.db' })

interface ParentSpec {
  readonly table?: string
  readonly renamedFrom?: string
  readonly attributes: Record<string, AnyAttribute>
  readonly identities?: Record<string, readonly never[]>
  readonly customIndexes?: { fields: readonly never[]; unique?: boolean; where?: string }[]
  readonly strict?: boolean
}

/** parents <- children (CASCADE) <- grandchildren (CASCADE), and a `tags` table a case may point at. */
function family(spec: ParentSpec, childExtra: Record<string, AnyAttribute> = {}, childToTag = false): Domain {
  const Parent = defineResource({
    name: 'Parent',
    attributes: { id: attr.integerPrimaryKey(), ...spec.attributes },
    identities: spec.identities ?? {},
    sqlite: {
      repo: main,
      table: spec.table ?? 'parents',
      ...(spec.renamedFrom === undefined ? {} : { renamedFrom: spec.renamedFrom }),
      customIndexes: spec.customIndexes ?? [],
      strict: spec.strict ?? false,
    },
  })
  const Tag = defineResource({
    name: 'Tag',
    attributes: { id: attr.integerPrimaryKey(), label: attr.string() },
    sqlite: { repo: main, table: 'tags' },
  })
  const Child = defineResource({
    name: 'Child',
    attributes: { id: attr.integerPrimaryKey(), note: attr.string(), ...childExtra },
    relationships: {
      parent: belongsTo((): AnyResource => Parent, { allowNull: false }),
      ...(childToTag ? { tag: belongsTo((): AnyResource => Tag) } : {}),
    },
    sqlite: {
      repo: main,
      table: 'children',
      references: { parent: { onDelete: 'delete' }, ...(childToTag ? { tag: { onDelete: 'nilify' } } : {}) },
    },
  })
  const Grandchild = defineResource({
    name: 'Grandchild',
    attributes: { id: attr.integerPrimaryKey() },
    relationships: { child: belongsTo((): AnyResource => Child, { allowNull: false }) },
    sqlite: { repo: main, table: 'grandchildren', references: { child: { onDelete: 'delete' } } },
  })
  return defineDomain({ name: 'family', resources: [Parent, Tag, Child, Grandchild] })
}

const children = [
  "INSERT INTO tags (id, label) VALUES (1, 'x')",
  "INSERT INTO children (id, note, parent_id) VALUES (1, 'a', 1), (2, 'b', 1), (3, 'c', 2), (4, 'd', 3)",
  'INSERT INTO grandchildren (id, child_id) VALUES (1, 1), (2, 3), (3, 4)',
]

interface ReplayCase {
  /** The drizzle-kit test (file: name) whose change this replays. */
  readonly replays: string
  readonly before: Domain
  readonly after: Domain
  /** Rows of `parents` (the other tables are seeded the same for every case). */
  readonly parents: string
  /** Down restores every row exactly (false: a change that loses values; row counts must still match). */
  readonly lossless?: boolean
  /** Checks after up (rows as `SELECT * FROM <table> ORDER BY rowid`). */
  readonly afterUp?: (dump: DatabaseDump) => void
}

const name = attr.string()
const cases: ReplayCase[] = [
  {
    replays: 'sqlite-columns: add columns #1',
    before: family({ attributes: { name } }),
    after: family({ attributes: { name, age: attr.integer() } }),
    parents: "(1, 'p1'), (2, 'p2'), (3, NULL)",
    lossless: false,
  },
  {
    replays: 'sqlite-columns: add column with .notNull and .default',
    before: family({ attributes: { name } }),
    after: family({ attributes: { name, score: attr.integer({ allowNull: false, default: 7 }) } }),
    parents: "(1, 'p1'), (2, 'p2'), (3, NULL)",
    lossless: false,
    afterUp: (dump) => expect(dump.rows.parents!.map((row) => row[2])).toEqual([7, 7, 7]),
  },
  {
    replays: 'sqlite-columns: add generated stored column',
    before: family({ attributes: { name } }),
    after: family({ attributes: { name, upper: attr.string({ generated: { as: 'upper(name)', mode: 'stored' } }) } }),
    parents: "(1, 'p1'), (2, 'p2'), (3, NULL)",
    afterUp: (dump) => expect(dump.rows.parents!.map((row) => row[2])).toEqual(['P1', 'P2', null]),
  },
  {
    replays: 'sqlite-columns: add a generated stored column and rename the existing one',
    before: family({ attributes: { name } }),
    after: family({
      attributes: {
        title: attr.string({ renamedFrom: 'name' }),
        upper: attr.string({ generated: { as: 'upper(title)', mode: 'stored' } }),
      },
    }),
    parents: "(1, 'p1'), (2, 'p2'), (3, NULL)",
    afterUp: (dump) =>
      expect(dump.rows.parents).toEqual([
        [1, 'p1', 'P1'],
        [2, 'p2', 'P2'],
        [3, null, null],
      ]),
  },
  {
    replays: 'sqlite-columns: add generated virtual column',
    before: family({ attributes: { name } }),
    after: family({ attributes: { name, upper: attr.string({ generated: { as: 'upper(name)' } }) } }),
    parents: "(1, 'p1'), (2, 'p2'), (3, NULL)",
  },
  {
    replays: 'sqlite-columns: alter column make generated',
    before: family({ attributes: { name, label: attr.string({ allowNull: false }) } }),
    after: family({
      attributes: { name, label: attr.string({ allowNull: false, generated: { as: "coalesce(name, '-')" } }) },
    }),
    parents: "(1, 'p1', 'one'), (2, 'p2', 'two'), (3, NULL, 'three')",
    lossless: false,
    afterUp: (dump) => expect(dump.rows.parents!.map((row) => row[2])).toEqual(['p1', 'p2', '-']),
  },
  {
    replays: 'sqlite-columns: alter column drop generated',
    before: family({
      attributes: { name, label: attr.string({ allowNull: false, generated: { as: "coalesce(name, '-')" } }) },
    }),
    after: family({ attributes: { name, label: attr.string({ allowNull: false }) } }),
    parents: "(1, 'p1'), (2, 'p2'), (3, NULL)",
    afterUp: (dump) => expect(dump.rows.parents!.map((row) => row[2])).toEqual(['p1', 'p2', '-']),
  },
  {
    replays: 'sqlite-columns: drop column',
    before: family({ attributes: { name, age: attr.integer() } }),
    after: family({ attributes: { name } }),
    parents: "(1, 'p1', 10), (2, 'p2', 20), (3, NULL, NULL)",
    lossless: false,
  },
  {
    replays: 'sqlite-columns: rename column and change data type',
    before: family({ attributes: { name } }),
    after: family({ attributes: { title: attr.ciString({ renamedFrom: 'name' }) } }),
    parents: "(1, 'p1'), (2, 'p2'), (3, NULL)",
    afterUp: (dump) => expect(dump.rows.parents!.map((row) => row[1])).toEqual(['p1', 'p2', null]),
  },
  {
    replays: 'sqlite-columns: dropped, added unique index',
    before: family({ attributes: { name, code: attr.string() }, identities: { uniqueName: ['name' as never] } }),
    after: family({ attributes: { name, code: attr.string() }, identities: { uniqueCode: ['code' as never] } }),
    parents: "(1, 'p1', 'c1'), (2, 'p2', 'c2'), (3, NULL, NULL)",
  },
  {
    replays: 'sqlite-columns: alter column add not null / add default not null to table with data',
    before: family({ attributes: { name } }),
    after: family({ attributes: { name: attr.string({ allowNull: false, default: 'none' }) } }),
    parents: "(1, 'p1'), (2, 'p2'), (3, NULL)",
    lossless: false,
    afterUp: (dump) => expect(dump.rows.parents!.map((row) => row[1])).toEqual(['p1', 'p2', 'none']),
  },
  {
    replays: 'sqlite-columns: alter column add default not null with indexes',
    before: family({ attributes: { name }, customIndexes: [{ fields: ['name' as never] }] }),
    after: family({
      attributes: { name: attr.string({ allowNull: false, default: 'none' }) },
      customIndexes: [{ fields: ['name' as never] }],
    }),
    parents: "(1, 'p1'), (2, 'p2'), (3, NULL)",
    lossless: false,
  },
  {
    replays: 'sqlite-columns: alter column drop not null, add not null',
    before: family({ attributes: { name: attr.string({ allowNull: false }), nick: attr.string() } }),
    after: family({ attributes: { name, nick: attr.string({ allowNull: false, default: '?' }) } }),
    parents: "(1, 'p1', 'n1'), (2, 'p2', 'n2'), (3, 'p3', 'n3')",
  },
  {
    replays: 'sqlite-columns: alter column add default / drop default',
    before: family({ attributes: { name, age: attr.integer() } }),
    after: family({ attributes: { name, age: attr.integer({ default: 18 }) } }),
    parents: "(1, 'p1', 1), (2, 'p2', NULL), (3, NULL, 3)",
  },
  {
    replays: 'sqlite-columns: text default values escape single quotes',
    before: family({ attributes: { name } }),
    after: family({ attributes: { name, motto: attr.string({ default: "it's 'quoted'" }) } }),
    parents: "(1, 'p1'), (2, 'p2'), (3, NULL)",
    lossless: false,
    afterUp: (dump) => expect(dump.rows.parents![0]![2]).toBe("it's 'quoted'"),
  },
  {
    replays: 'sqlite-columns: add column with reference',
    before: family({ attributes: { name } }),
    after: family({ attributes: { name } }, {}, true),
    parents: "(1, 'p1'), (2, 'p2'), (3, NULL)",
    lossless: false,
  },
  {
    replays: 'sqlite-columns: recreate table with nested references',
    before: family({ attributes: { name } }),
    after: family({ attributes: { name: attr.string({ default: 'n' }) } }),
    parents: "(1, 'p1'), (2, 'p2'), (3, NULL)",
  },
  {
    replays: 'sqlite-tables: rename table #1 (children keep pointing at it)',
    before: family({ attributes: { name } }),
    after: family({ table: 'people', renamedFrom: 'parents', attributes: { name } }),
    parents: "(1, 'p1'), (2, 'p2'), (3, NULL)",
  },
  {
    replays: 'sqlite-tables: rename table and change data type',
    before: family({ attributes: { name, age: attr.integer() } }),
    after: family({ table: 'people', renamedFrom: 'parents', attributes: { name, age: attr.float() } }),
    parents: "(1, 'p1', 1), (2, 'p2', 2), (3, NULL, NULL)",
  },
  {
    replays: 'sqlite-tables: recreate table and add unique column',
    before: family({ attributes: { name } }),
    after: family({
      attributes: { name: attr.string({ default: 'n' }), code: attr.string() },
      identities: { uniqueCode: ['code' as never] },
    }),
    parents: "(1, 'p1'), (2, 'p2'), (3, NULL)",
    lossless: false,
  },
  {
    replays: 'sqlite-constraints: unique #1_1. drop column with unique',
    before: family({ attributes: { name, code: attr.string() }, identities: { uniqueCode: ['code' as never] } }),
    after: family({ attributes: { name } }),
    parents: "(1, 'p1', 'c1'), (2, 'p2', 'c2'), (3, NULL, NULL)",
    lossless: false,
  },
  {
    replays: 'sqlite-constraints: pk #1_2. add pk (a STRICT table, turned on)',
    before: family({ attributes: { name } }),
    after: family({ attributes: { name }, strict: true }),
    parents: "(1, 'p1'), (2, 'p2'), (3, NULL)",
  },
  {
    replays: 'sqlite-defaults: integer, text, real, numeric, blob',
    before: family({ attributes: { name } }),
    after: family({
      attributes: {
        name,
        i: attr.integer({ default: 42 }),
        t: attr.string({ default: 'text' }),
        r: attr.float({ default: 1.5 }),
        n: attr.decimal({ default: '10.25' }),
        b: attr.binary({ default: Uint8Array.from([1, 2]) }),
        now: attr.string({ default: sql`(CURRENT_TIMESTAMP)` }),
      },
    }),
    parents: "(1, 'p1'), (2, 'p2'), (3, NULL)",
    lossless: false,
    afterUp: (dump) =>
      expect(dump.rows.parents!.map((row) => row.slice(2, 7))).toEqual(
        Array(3).fill([42, 'text', 1.5, '10.25', [1, 2]]),
      ),
  },
  {
    replays: 'sqlite-generated: change generated constraint type from virtual to stored',
    before: family({ attributes: { name, upper: attr.string({ generated: { as: 'upper(name)' } }) } }),
    after: family({
      attributes: { name, upper: attr.string({ generated: { as: "upper(name) || '!'", mode: 'stored' } }) },
    }),
    parents: "(1, 'p1'), (2, 'p2'), (3, NULL)",
  },
  {
    replays: 'sqlite-generated: change generated constraint type from stored to virtual',
    before: family({ attributes: { name, upper: attr.string({ generated: { as: 'upper(name)', mode: 'stored' } }) } }),
    after: family({ attributes: { name, upper: attr.string({ generated: { as: "upper(name) || '!'" } }) } }),
    parents: "(1, 'p1'), (2, 'p2'), (3, NULL)",
  },
  {
    replays: 'sqlite-generated: change stored generated constraint',
    before: family({ attributes: { name, upper: attr.string({ generated: { as: 'upper(name)', mode: 'stored' } }) } }),
    after: family({ attributes: { name, upper: attr.string({ generated: { as: 'lower(name)', mode: 'stored' } }) } }),
    parents: "(1, 'p1'), (2, 'p2'), (3, NULL)",
  },
]

let project: ScenarioProject
beforeEach(async () => {
  project = await createScenarioProject()
})
afterEach(async () => {
  await project.remove()
})

describe("drizzle-kit's SQLite change kinds, replayed on tables with rows", () => {
  for (const replay of cases) {
    test(replay.replays, async () => {
      await project.generate(replay.before, { now: tick(0) })
      const result = await project.generate(replay.after, { now: tick(1) })
      const [first, second] = await project.folders()
      expect(second).toBeDefined()
      expect(result.repos[0]?.migration).not.toBeNull()
      const db = await openScenarioDatabase(project)
      try {
        await db.run(first!, 'up')
        await db.client.execute(`INSERT INTO parents VALUES ${replay.parents}`)
        for (const statement of children) await db.client.execute(statement)
        const before = await dumpDatabase(db.client)

        await db.run(second!, 'up')
        expect(comparable(await db.schema())).toEqual(comparable(await freshSchema(replay.after)))
        const afterUp = await dumpDatabase(db.client)
        expect(counts(afterUp)).toEqual(renamed(counts(before), afterUp))
        // Children and grandchildren keep every row and value, whatever happened to their parents.
        const width = before.rows.children![0]!.length
        expect(afterUp.rows.children!.map((row) => row.slice(0, width))).toEqual(before.rows.children)
        expect(afterUp.rows.grandchildren).toEqual(before.rows.grandchildren)
        replay.afterUp?.(afterUp)

        await db.run(second!, 'down')
        const afterDown = await dumpDatabase(db.client)
        if (replay.lossless === false) {
          expect(afterDown.objects).toEqual(before.objects)
          expect(counts(afterDown)).toEqual(counts(before))
          expect(afterDown.sequences).toEqual(before.sequences)
        } else {
          expect(afterDown).toEqual(before)
        }
        const violations = await db.client.execute('PRAGMA foreign_key_check')
        expect(violations.rows).toEqual([])
      } finally {
        await db.close()
      }
    })
  }
})

function counts(dump: DatabaseDump): Record<string, number> {
  return Object.fromEntries(Object.entries(dump.rows).map(([table, rows]) => [table, rows.length]))
}

/** The counts before, with `parents` under its new name when the case renamed it. */
function renamed(before: Record<string, number>, after: DatabaseDump): Record<string, number> {
  if ('parents' in after.rows) return before
  const { parents, ...rest } = before
  return { ...rest, people: parents! }
}
