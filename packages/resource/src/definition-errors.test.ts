import { sql } from 'drizzle-orm'
import { describe, expect, test } from 'vitest'
import {
  type AnyResource,
  attr,
  belongsTo,
  defineDomain,
  defineRepo,
  defineResource,
  hasMany,
  ResourceDefinitionError,
} from './index.js'
import { definitionError, expectDefinitionError } from './test-utils/errors.js'

const main = defineRepo({ name: 'main', url: 'file:unused.db' })
const other = defineRepo({ name: 'other', url: 'file:other.db' })

/** Definitions as a JavaScript user (or a config loaded without type checking) could write them. */
const define = defineResource as (definition: unknown) => AnyResource

/** A valid definition with parts replaced. */
const resource = (parts: Record<string, unknown> = {}, sqlite: Record<string, unknown> = {}) =>
  define({
    name: 'Widget',
    attributes: { id: attr.integerPrimaryKey(), name: attr.string(), code: attr.string() },
    ...parts,
    sqlite: { repo: main, table: 'widgets', ...sqlite },
  })

const User = defineResource({
  name: 'User',
  attributes: { id: attr.uuidPrimaryKey(), email: attr.string({ allowNull: false }) },
  sqlite: { repo: main, table: 'users' },
})

describe('error messages', () => {
  test('name the resource, the option, what is wrong and how to fix it', () => {
    const error = definitionError(() => resource({}, { references: { owner: { onDelete: 'explode' } } }))
    expect(error).toBeInstanceOf(ResourceDefinitionError)
    expect(error.name).toBe('ResourceDefinitionError')
    expect(error.code).toBe('unknown_relationship')
    expect(error.resource).toBe('Widget')
    expect(error.path).toBe('sqlite.references.owner')
    expect(error.message).toBe(
      'Widget.sqlite.references.owner: names no relationship "owner". Use the name of a belongsTo relationship',
    )
  })
})

describe('unknown_type', () => {
  test('a raw object with a bad type', () => {
    expectDefinitionError(
      () => resource({ attributes: { price: { kind: 'attribute', type: 'money', options: {} } } }),
      'unknown_type',
      'Widget.attributes.price.type: has unknown type "money"',
      'Use one of: string, ciString, integer',
    )
  })

  test('something that is not an attribute definition', () => {
    expectDefinitionError(
      () => resource({ attributes: { id: attr.integerPrimaryKey(), title: 'string' } }),
      'unknown_type',
      'Widget.attributes.title: is "string", not an attribute definition',
      'attr.string()',
    )
  })

  test('attr misuse: an array of an unknown element type', () => {
    expectDefinitionError(
      () => resource({ attributes: { id: attr.integerPrimaryKey(), tags: attr.array('money' as 'string') } }),
      'unknown_type',
      'Widget.attributes.tags: is an array of unknown element type "money"',
    )
  })

  test('a belongsTo attributeType that is not a key type', () => {
    expectDefinitionError(
      () => resource({ relationships: { owner: belongsTo(() => User, { attributeType: 'json' as 'uuid' }) } }),
      'unknown_type',
      'Widget.relationships.owner.attributeType: is "json", not a key type',
    )
  })
})

describe('duplicate_column', () => {
  test('two attributes mapping to one column', () => {
    expectDefinitionError(
      () =>
        resource({ attributes: { id: attr.integerPrimaryKey(), fullName: attr.string(), full_name: attr.string() } }),
      'duplicate_column',
      'Widget.attributes.full_name: attributes.full_name and attributes.fullName both map to column "full_name"',
      'Give one of them another column name',
    )
  })

  test('through source', () => {
    expectDefinitionError(
      () => resource({ attributes: { id: attr.integerPrimaryKey(), a: attr.string({ source: 'id' }) } }),
      'duplicate_column',
      'both map to column "id"',
    )
  })

  test('a belongsTo key clashing with an attribute', () => {
    expectDefinitionError(
      () =>
        resource({
          attributes: { id: attr.integerPrimaryKey(), ownerId: attr.uuid() },
          relationships: { owner: belongsTo(() => User) },
        }),
      'duplicate_column',
      'Widget.relationships.owner: the key "ownerId" of relationships.owner clashes with attributes.ownerId',
      'option "attribute"',
    )
  })

  test("a belongsTo key clashing with an attribute's column", () => {
    expectDefinitionError(
      () =>
        resource({
          attributes: { id: attr.integerPrimaryKey(), owner_id: attr.string() },
          relationships: { owner: belongsTo(() => User) },
        }),
      'duplicate_column',
      'the key "ownerId" of relationships.owner and attributes.owner_id both map to column "owner_id"',
    )
  })
})

describe('unknown_attribute', () => {
  test('an identity over an unknown attribute', () => {
    expectDefinitionError(
      () => resource({ identities: { uniqueCode: ['code', 'colour'] } }),
      'unknown_attribute',
      'Widget.identities.uniqueCode[1]: refers to unknown attribute "colour"',
      'Use one of: id, name, code',
    )
  })

  test('an identity in object form', () => {
    expectDefinitionError(
      () => resource({ identities: { uniqueCode: { keys: ['nope'] } } }),
      'unknown_attribute',
      'identities.uniqueCode.keys[0]',
    )
  })

  test('a custom index over an unknown attribute', () => {
    expectDefinitionError(
      () => resource({}, { customIndexes: [{ fields: ['name'] }, { fields: ['price'] }] }),
      'unknown_attribute',
      'Widget.sqlite.customIndexes[1].fields[0]: refers to unknown attribute "price"',
    )
  })

  test('migrationTypes and migrationDefaults of unknown attributes', () => {
    expectDefinitionError(
      () => resource({}, { migrationTypes: { price: 'text' } }),
      'unknown_attribute',
      'sqlite.migrationTypes.price',
    )
    expectDefinitionError(
      () => resource({}, { migrationDefaults: { price: '0' } }),
      'unknown_attribute',
      'sqlite.migrationDefaults.price',
    )
  })

  test('belongsTo keys count as attributes', () => {
    expect(() =>
      resource({ relationships: { owner: belongsTo(() => User) }, identities: { one: ['ownerId'] } }),
    ).not.toThrow()
  })

  test('a destinationAttribute the target does not have (found when the resource is compiled)', () => {
    const widget = resource({ relationships: { owner: belongsTo(() => User, { destinationAttribute: 'login' }) } })
    expectDefinitionError(
      () => widget.state,
      'unknown_attribute',
      'Widget.relationships.owner.destinationAttribute: refers to unknown attribute "login" of User',
      'Use one of: id, email',
    )
  })
})

describe('unknown_relationship', () => {
  test('references for an unknown relationship', () => {
    expectDefinitionError(
      () =>
        resource(
          { relationships: { owner: belongsTo(() => User) } },
          { references: { author: { onDelete: 'delete' } } },
        ),
      'unknown_relationship',
      'Widget.sqlite.references.author: names no relationship "author"',
      'Use the name of a belongsTo relationship (owner)',
    )
  })

  test('references for a hasMany', () => {
    expectDefinitionError(
      () =>
        resource({ relationships: { users: hasMany(() => User) } }, { references: { users: { onDelete: 'delete' } } }),
      'unknown_relationship',
      'names relationship "users", which is not a belongsTo',
    )
  })
})

describe('cross_repo_relationship', () => {
  const Elsewhere = defineResource({
    name: 'Elsewhere',
    attributes: { id: attr.uuidPrimaryKey() },
    sqlite: { repo: other, table: 'elsewhere' },
  })

  test('belongsTo a resource of another repo', () => {
    const widget = resource({ relationships: { place: belongsTo(() => Elsewhere) } })
    expectDefinitionError(
      () => widget.table,
      'cross_repo_relationship',
      'Widget.relationships.place: belongs to Elsewhere, which lives in repo "other" while Widget lives in repo "main"',
      'A foreign key cannot span databases',
    )
  })

  test('defineDomain surfaces it at definition time', () => {
    const widget = resource({ relationships: { place: belongsTo(() => Elsewhere) } })
    expectDefinitionError(
      () => defineDomain({ name: 'shop', resources: [widget, Elsewhere] }),
      'cross_repo_relationship',
      'Widget',
    )
  })

  test('hasMany across repos is allowed (no foreign key)', () => {
    expect(resource({ relationships: { places: hasMany(() => Elsewhere) } }).state.columns).toHaveLength(3)
  })
})

describe('missing_table and missing_repo', () => {
  test('no table', () => {
    expectDefinitionError(
      () => define({ name: 'Widget', attributes: { id: attr.integerPrimaryKey() }, sqlite: { repo: main } }),
      'missing_table',
      'Widget.sqlite.table: has no table name',
      'table: "users"',
    )
  })

  test('no repo, or no sqlite block', () => {
    expectDefinitionError(
      () => define({ name: 'Widget', attributes: { id: attr.integerPrimaryKey() }, sqlite: { table: 'widgets' } }),
      'missing_repo',
      'Widget.sqlite.repo: has no repo',
      'defineRepo',
    )
    expectDefinitionError(
      () => define({ name: 'Widget', attributes: { id: attr.integerPrimaryKey() } }),
      'missing_repo',
      'Widget.sqlite.repo',
    )
  })

  test('a repo that is not a repo', () => {
    expectDefinitionError(
      () => resource({}, { repo: 'main' }),
      'missing_repo',
      'Widget.sqlite.repo: is "main", not a repo',
    )
  })
})

describe('invalid_identifier', () => {
  test.each([
    [
      'a table name',
      () => resource({}, { table: 'widgets; DROP TABLE users' }),
      'Widget.sqlite.table: table name "widgets; DROP TABLE users" is not a plain SQL identifier',
    ],
    [
      'a reserved table name',
      () => resource({}, { table: 'sqlite_widgets' }),
      'starts with "sqlite_", which SQLite reserves',
    ],
    [
      'a column source',
      () => resource({ attributes: { id: attr.integerPrimaryKey(), name: attr.string({ source: 'the name' }) } }),
      'Widget.attributes.name.source: column name "the name"',
    ],
    [
      'a column derived from the key',
      () => resource({ attributes: { id: attr.integerPrimaryKey(), 'na-me': attr.string() } }),
      'the column name "na-me" derived from the attribute key',
    ],
    [
      'a renamedFrom',
      () => resource({ attributes: { id: attr.integerPrimaryKey(), name: attr.string({ renamedFrom: "old'name" }) } }),
      'attributes.name.renamedFrom',
    ],
    [
      'a custom index name',
      () => resource({}, { customIndexes: [{ fields: ['name'], name: 'by name' }] }),
      'sqlite.customIndexes[0].name: index name "by name"',
    ],
    [
      'an identity index name',
      () => resource({ identities: { one: ['name'] } }, { identityIndexNames: { one: '1st' } }),
      'sqlite.identityIndexNames.one: index name "1st"',
    ],
    [
      'a derived identity index name',
      () => resource({ identities: { 'by name': ['name'] } }),
      'identities.by name: identity index name "widgets_by name_index"',
    ],
    [
      'a statement name',
      () => resource({}, { customStatements: [{ name: 'my-trigger', up: 'SELECT 1', down: '' }] }),
      'sqlite.customStatements[0].name',
    ],
    [
      'a constraint name',
      () =>
        resource({ relationships: { owner: belongsTo(() => User) } }, { references: { owner: { name: 'fk owner' } } }),
      'sqlite.references.owner.name: constraint name "fk owner"',
    ],
    [
      'a belongsTo attribute',
      () => resource({ relationships: { owner: belongsTo(() => User, { attribute: 'owner id' }) } }),
      'relationships.owner.attribute',
    ],
    ['a table renamedFrom', () => resource({}, { renamedFrom: 'old widgets' }), 'sqlite.renamedFrom'],
  ])('%s', (_, run, message) => {
    expectDefinitionError(run, 'invalid_identifier', message)
  })

  test('the fix says what a plain identifier is', () => {
    expectDefinitionError(
      () => resource({}, { table: 'my table' }),
      'invalid_identifier',
      'Use only ASCII letters, digits and underscores',
    )
    expectDefinitionError(
      () => resource({}, { table: 'sqlite_x' }),
      'invalid_identifier',
      'Choose a name that does not start with "sqlite_"',
    )
  })
})

describe('invalid_option', () => {
  test.each([
    [
      'onDelete: explode',
      () =>
        resource(
          { relationships: { owner: belongsTo(() => User) } },
          { references: { owner: { onDelete: 'explode' } } },
        ),
      "Widget.sqlite.references.owner.onDelete: onDelete \"explode\" is not one of 'delete', 'nilify', 'restrict', 'nothing', 'update'",
    ],
    [
      'an enum with no values',
      () => resource({ attributes: { id: attr.integerPrimaryKey(), role: attr.enum([] as unknown as ['a']) } }),
      'Widget.attributes.role: is an enum with no values',
    ],
    [
      'an enum value twice',
      () => resource({ attributes: { id: attr.integerPrimaryKey(), role: attr.enum(['a', 'a']) } }),
      'lists an enum value twice',
    ],
    [
      'a non-boolean allowNull',
      () => resource({ attributes: { id: attr.integerPrimaryKey(), name: attr.string({ allowNull: 'no' as never }) } }),
      'Widget.attributes.name.allowNull: must be true or false, got "no"',
    ],
    [
      'a default of the wrong type',
      () => resource({ attributes: { id: attr.integerPrimaryKey(), n: attr.integer({ default: 1.5 }) } }),
      'Widget.attributes.n.default: must be a safe integer, got 1.5',
    ],
    [
      'an enum default outside the values',
      () => resource({ attributes: { id: attr.integerPrimaryKey(), r: attr.enum(['a'], { default: 'b' as 'a' }) } }),
      'must be one of the enum values ["a"], got "b"',
    ],
    [
      'a json default that is not JSON',
      () => resource({ attributes: { id: attr.integerPrimaryKey(), j: attr.json({ default: { n: 1n } as never }) } }),
      'must be a JSON value',
    ],
    [
      'a default and a generated expression',
      () =>
        resource({
          attributes: {
            id: attr.integerPrimaryKey(),
            g: attr.string({ default: 'x', generated: { as: 'upper(name)' } }),
          },
        }),
      'has both a default and a generated expression',
    ],
    [
      'a nullable primary key',
      () => resource({ attributes: { id: attr.integer({ primaryKey: true, allowNull: true }) } }),
      'is true on a primary key, which can never be null',
    ],
    [
      'a generated primary key',
      () => resource({ attributes: { id: attr.integer({ primaryKey: true, generated: { as: '1' } }) } }),
      'is a generated primary key',
    ],
    [
      'a bad generated mode',
      () =>
        resource({
          attributes: {
            id: attr.integerPrimaryKey(),
            g: attr.string({ generated: { as: '1', mode: 'always' as 'stored' } }),
          },
        }),
      "Widget.attributes.g.generated.mode: mode \"always\" is not one of 'stored', 'virtual'",
    ],
    [
      'an unknown option (typo)',
      () =>
        resource({ attributes: { id: attr.integerPrimaryKey(), name: attr.string({ allownull: false } as never) } }),
      'Widget.attributes.name.allownull: unknown option "allownull"',
    ],
    ['an unknown sqlite option', () => resource({}, { tabel: 'x' }), 'Widget.sqlite.tabel: unknown option "tabel"'],
    [
      'AUTOINCREMENT in a composite key',
      () => resource({ attributes: { id: attr.integerPrimaryKey(), k: attr.integer({ primaryKey: true }) } }),
      'is an integerPrimaryKey (AUTOINCREMENT) in a composite primary key (id, k)',
    ],
    [
      'a migration type that is not a type',
      () => resource({}, { migrationTypes: { name: "text DEFAULT 'x'" } }),
      `Widget.sqlite.migrationTypes.name: is "text DEFAULT 'x'", not a SQL type name`,
    ],
    [
      'a migration type on an integerPrimaryKey',
      () => resource({}, { migrationTypes: { id: 'bigint' } }),
      'must stay INTEGER for AUTOINCREMENT',
    ],
    [
      'nilify on a key that cannot be null',
      () =>
        resource(
          { relationships: { owner: belongsTo(() => User, { allowNull: false }) } },
          { references: { owner: { onDelete: 'nilify' } } },
        ),
      "is 'nilify' but ownerId does not allow null",
    ],
    [
      'a STRICT table with a type STRICT rejects',
      () => resource({}, { strict: true, migrationTypes: { name: 'varchar(20)' } }),
      'has SQL type "varchar(20)", which a STRICT table does not accept',
    ],
    [
      'a renamedFrom equal to the column',
      () => resource({ attributes: { id: attr.integerPrimaryKey(), name: attr.string({ renamedFrom: 'name' }) } }),
      'is the current column name "name"',
    ],
    [
      'one column renamed into two',
      () =>
        resource({
          attributes: {
            id: attr.integerPrimaryKey(),
            a: attr.string({ renamedFrom: 'old' }),
            b: attr.string({ renamedFrom: 'old' }),
          },
        }),
      'Widget.attributes.b.renamedFrom: renames column "old", which a already renames',
    ],
    ['no columns', () => resource({ attributes: {} }), 'Widget.attributes: defines no columns'],
    [
      'identityIndexNames for an unknown identity',
      () => resource({}, { identityIndexNames: { nope: 'x_index' } }),
      'sqlite.identityIndexNames.nope: names unknown identity "nope"',
    ],
    [
      'skipUniqueIndexes for an unknown identity',
      () => resource({ identities: { one: ['name'] } }, { skipUniqueIndexes: ['two'] }),
      'sqlite.skipUniqueIndexes[0]: names unknown identity "two"',
      'Use one of the identities: one',
    ],
    [
      'two indexes with one name',
      () =>
        resource(
          { identities: { byName: ['name'] } },
          { customIndexes: [{ fields: ['code'], name: 'widgets_by_name_index' }] },
        ),
      'creates index "widgets_by_name_index", which another identity or custom index already creates',
    ],
    [
      'two statements with one name',
      () =>
        resource(
          {},
          {
            customStatements: [
              { name: 's', up: 'SELECT 1', down: '' },
              { name: 's', up: 'SELECT 2', down: '' },
            ],
          },
        ),
      'repeats statement name "s"',
    ],
    [
      'a statement without down',
      () => resource({}, { customStatements: [{ name: 's', up: 'SELECT 1' }] }),
      'sqlite.customStatements[0].down: must be a string',
    ],
    ['an empty identity', () => resource({ identities: { none: [] } }), 'identities.none: lists no attributes'],
    [
      'a relationship that is not one',
      () => resource({ relationships: { owner: () => User } }),
      'relationships.owner: is a function, not a relationship',
    ],
    [
      'a belongsTo target that is not a thunk',
      () => resource({ relationships: { owner: belongsTo(User as never) } }),
      'relationships.owner: has target',
    ],
    [
      'no name',
      () => define({ attributes: {}, sqlite: { repo: main, table: 'x' } }),
      '(unnamed resource).name: resource name must be a non-empty string',
    ],
  ] as [string, () => unknown, ...string[]][])('%s', (_, run, ...messageParts) => {
    expectDefinitionError(run, 'invalid_option', ...messageParts)
  })

  test('found when the resource is compiled: a target that is not a resource', () => {
    const widget = resource({ relationships: { owner: belongsTo(() => ({ name: 'User' }) as never) } })
    expectDefinitionError(
      () => widget.state,
      'invalid_option',
      'Widget.relationships.owner: target is {"name":"User"}, not a resource',
    )
  })

  test('found when the resource is compiled: a target without a single primary key', () => {
    const Pair = defineResource({
      name: 'Pair',
      attributes: { a: attr.integer({ primaryKey: true }), b: attr.integer({ primaryKey: true }) },
      sqlite: { repo: main, table: 'pairs' },
    })
    expectDefinitionError(
      () => resource({ relationships: { pair: belongsTo(() => Pair) } }).state,
      'invalid_option',
      'Widget.relationships.pair.destinationAttribute: cannot default: Pair has a composite primary key (a, b)',
    )
  })

  test('found when the resource is compiled: a destination that is not unique', () => {
    expectDefinitionError(
      () => resource({ relationships: { owner: belongsTo(() => User, { destinationAttribute: 'email' }) } }).state,
      'invalid_option',
      'points at User.email, which is neither its primary key nor unique',
      'Add an identity over email to User',
    )
  })

  test('found when the resource is compiled: keys whose types point at each other', () => {
    const A: AnyResource = define({
      name: 'A',
      attributes: {},
      relationships: { b: belongsTo((): AnyResource => B, { primaryKey: true }) },
      sqlite: { repo: main, table: 'a' },
    })
    const B: AnyResource = define({
      name: 'B',
      attributes: {},
      relationships: { a: belongsTo((): AnyResource => A, { primaryKey: true }) },
      sqlite: { repo: main, table: 'b' },
    })
    expectDefinitionError(() => A.state, 'invalid_option', 'point back at each other', 'Set attributeType')
  })

  test('a key typed through the destination chain', () => {
    const Profile = defineResource({
      name: 'Profile',
      attributes: {},
      relationships: { user: belongsTo(() => User, { primaryKey: true }) },
      sqlite: { repo: main, table: 'profiles' },
    })
    const Avatar = defineResource({
      name: 'Avatar',
      attributes: { id: attr.integerPrimaryKey() },
      relationships: { profile: belongsTo(() => Profile) },
      sqlite: { repo: main, table: 'avatars' },
    })
    expect(Avatar.state.columns.find((c) => c.source === 'profile_id')).toMatchObject({
      type: 'text',
      references: { table: 'profiles', column: 'user_id' },
    })
  })
})

describe('defineRepo', () => {
  test.each([
    ['without url or databases', { name: 'main' }, 'main: has neither url nor databases'],
    ['with both', { name: 'main', url: 'file:a.db', databases: [] }, 'main: has both url and databases'],
    ['with an empty url', { name: 'main', url: '' }, 'main.url: database URL must be a non-empty string'],
    [
      'with a bad name',
      { name: '../main', url: 'file:a.db' },
      '(unnamed repo).name: repo name "../main" is not a valid name',
    ],
    [
      'with a duplicate database',
      {
        name: 'fleet',
        databases: [
          { name: 'a', url: 'file:a.db' },
          { name: 'a', url: 'file:b.db' },
        ],
      },
      'fleet.databases: names database "a" twice',
    ],
    [
      'with authToken on a fleet',
      { name: 'fleet', databases: [], authToken: 'x' },
      'fleet.authToken: is set on a fleet repo',
    ],
  ])('%s', (_, config, message) => {
    expectDefinitionError(() => defineRepo(config as never), 'invalid_option', message)
  })
})

describe('defineDomain', () => {
  test('rejects what is not a resource', () => {
    expectDefinitionError(
      () => defineDomain({ name: 'blog', resources: [main as never] }),
      'invalid_option',
      'blog.resources[0]: is not a resource',
    )
  })

  test('surfaces merge conflicts', () => {
    const a = defineResource({
      name: 'A',
      attributes: { id: attr.integer({ primaryKey: true }) },
      sqlite: { repo: main, table: 't' },
    })
    const b = defineResource({
      name: 'B',
      attributes: { id: attr.string({ primaryKey: true }) },
      sqlite: { repo: main, table: 't' },
    })
    expectDefinitionError(
      () => defineDomain({ name: 'blog', resources: [a, b] }),
      'conflicting_table_definition',
      'column "id" (type)',
    )
  })

  test('literal SQL in defaults is an expression, never a quoted literal', () => {
    const widget = resource({
      attributes: { id: attr.integerPrimaryKey(), at: attr.string({ default: sql`lower(${"it's"})` }) },
    })
    expect(widget.state.columns[1]?.default).toBe("(lower('it''s'))")
  })
})

describe('SQLite limits and identifier rules are refused at definition time', () => {
  test('a table with more than 2000 columns', () => {
    const attributes: Record<string, unknown> = { id: attr.integerPrimaryKey() }
    for (let index = 0; index < 2000; index++) attributes[`c${index}`] = attr.string()
    expectDefinitionError(
      () => resource({ attributes }),
      'exceeds_sqlite_limit',
      'Widget.attributes',
      '2001 columns',
      '2000',
      'Split',
    )
    delete attributes.c1999
    expect(resource({ attributes }).tableName).toBe('widgets')
  })

  test('two columns whose names differ only in case', () => {
    expectDefinitionError(
      () =>
        resource({
          attributes: { id: attr.integerPrimaryKey(), name: attr.string(), label: attr.string({ source: 'Name' }) },
        }),
      'duplicate_column',
      'Widget.attributes.label',
      'column "Name"',
      'does not tell "name" and "Name" apart',
    )
  })

  test('two indexes whose names differ only in case, and an index named like its table', () => {
    expectDefinitionError(
      () => resource({ identities: { byName: ['name'] } }, { identityIndexNames: { byName: 'Widgets' } }),
      'invalid_identifier',
      'Widget.identities.byName',
      'name of its own table',
    )
    expectDefinitionError(
      () =>
        resource(
          {},
          {
            customIndexes: [
              { fields: ['name'], name: 'by_name' },
              { fields: ['code'], name: 'BY_NAME' },
            ],
          },
        ),
      'invalid_option',
      'customIndexes[1]',
      'already creates',
    )
  })
})

describe('near-miss option names', () => {
  test('suggest the option a typo meant, in attributes and the sqlite block', () => {
    expect(
      definitionError(() =>
        resource({ attributes: { id: attr.integerPrimaryKey(), name: attr.string({ allowNul: false } as never) } }),
      ).message,
    ).toBe(
      'Widget.attributes.name.allowNul: unknown option "allowNul". Did you mean "allowNull"? The known options are: ' +
        'allowNull, default, primaryKey, generated, source, renamedFrom, description',
    )
    expect(definitionError(() => resource({}, { tabel: 'widgets' })).message).toMatch(
      /^Widget\.sqlite\.tabel: unknown option "tabel"\. Did you mean "table"\? The known options are: /,
    )
  })

  test('point `unique: true` on an attribute to identities', () => {
    const error = definitionError(() =>
      resource({ attributes: { id: attr.integerPrimaryKey(), email: attr.string({ unique: true } as never) } }),
    )
    expect(error.code).toBe('invalid_option')
    expect(error.message).toBe(
      'Widget.attributes.email.unique: unknown option "unique". Uniqueness is declared as an identity of the ' +
        'resource, not on the attribute: remove "unique" and add identities: { uniqueEmail: [\'email\'] } ' +
        '(a unique index over email)',
    )
  })

  test('say nothing about a name that is close to no option', () => {
    const error = definitionError(() =>
      resource({ attributes: { id: attr.integerPrimaryKey(), name: attr.string({ colour: 'red' } as never) } }),
    )
    expect(error.message).toMatch(/unknown option "colour"\. Remove it; the known options are: /)
  })
})
