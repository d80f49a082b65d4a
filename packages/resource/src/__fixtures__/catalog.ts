// Resources that together use every attribute type and every option, for the DDL and round-trip tests.
import { sql } from 'drizzle-orm'
import { type AnyResource, attr, belongsTo, defineRepo, defineResource } from '../index.js'

export const shop = defineRepo({ name: 'shop', url: 'file:unused.db' })

/** One attribute of every type, no options. */
export const Everything = defineResource({
  name: 'Everything',
  attributes: {
    id: attr.uuidPrimaryKey(),
    name: attr.string(),
    email: attr.ciString(),
    quantity: attr.integer(),
    weight: attr.float(),
    price: attr.decimal(),
    active: attr.boolean(),
    externalId: attr.uuid(),
    releaseDate: attr.date(),
    opensAt: attr.time(),
    publishedAt: attr.utcDatetime(),
    checkedAt: attr.utcDatetimeUsec(),
    localTime: attr.naiveDatetime(),
    metadata: attr.json<{ color: string; sizes: number[] }>(),
    tags: attr.array('string'),
    thumbnail: attr.binary(),
    status: attr.enum(['draft', 'published', 'archived']),
    ...attr.timestamps(),
  },
  sqlite: { repo: shop, table: 'everything' },
})

/** A literal default of every type, expression defaults and migration defaults. */
export const Defaults = defineResource({
  name: 'Defaults',
  attributes: {
    id: attr.integerPrimaryKey(),
    name: attr.string({ default: "it's" }),
    email: attr.ciString({ default: 'NOBODY@EXAMPLE.COM' }),
    quantity: attr.integer({ allowNull: false, default: -1 }),
    weight: attr.float({ default: 2.5 }),
    price: attr.decimal({ default: '9.99' }),
    active: attr.boolean({ allowNull: false, default: true }),
    archived: attr.boolean({ default: false }),
    externalId: attr.uuid({ default: '00000000-0000-0000-0000-000000000000' }),
    releaseDate: attr.date({ default: '2024-01-31' }),
    opensAt: attr.time({ default: '09:00:00' }),
    publishedAt: attr.utcDatetime({ default: new Date('2024-01-02T03:04:05.678Z') }),
    checkedAt: attr.utcDatetimeUsec({ default: sql`CURRENT_TIMESTAMP` }),
    localTime: attr.naiveDatetime({ default: sql`(datetime('now'))` }),
    metadata: attr.json({ default: { color: 'red', note: "O'Brien" } }),
    tags: attr.array('string', { default: ['a', 'b'] }),
    thumbnail: attr.binary({ default: new Uint8Array([0, 255, 16]) }),
    status: attr.enum(['draft', 'published'], { allowNull: false, default: 'draft' }),
    nothing: attr.string({ default: null }),
    overridden: attr.integer({ default: 1 }),
    stamped: attr.createTimestamp({ default: sql`CURRENT_TIMESTAMP` }),
  },
  sqlite: { repo: shop, table: 'defaults', migrationDefaults: { overridden: '(abs(random()) % 10)' } },
})

/** Column options: allowNull, source, generated, migrationTypes; a STRICT table. */
export const Options = defineResource({
  name: 'Options',
  attributes: {
    id: attr.integer({ primaryKey: true }),
    title: attr.string({ allowNull: false, source: 'headline', description: 'Shown in lists' }),
    upperTitle: attr.string({ generated: { as: sql`upper(headline)` } }),
    titleLength: attr.integer({ allowNull: false, generated: { as: 'length(headline)', mode: 'stored' } }),
    price: attr.decimal({ allowNull: false }),
    code: attr.ciString(),
    anything: attr.json(),
  },
  sqlite: {
    repo: shop,
    table: 'options',
    strict: true,
    migrationTypes: { price: 'TEXT', anything: 'any' },
  },
})

/** Identities and custom indexes with every option. */
export const Account = defineResource({
  name: 'Account',
  attributes: {
    id: attr.uuidPrimaryKey(),
    email: attr.ciString({ allowNull: false }),
    handle: attr.string({ allowNull: false }),
    tenant: attr.string({ allowNull: false }),
    number: attr.integer(),
    city: attr.string(),
    deletedAt: attr.utcDatetime(),
  },
  identities: {
    uniqueEmail: ['email'],
    uniqueHandlePerTenant: { keys: ['tenant', 'handle'] },
    uniqueNumber: ['number'],
  },
  sqlite: {
    repo: shop,
    table: 'accounts',
    baseFilterSql: 'deleted_at IS NULL',
    identityIndexNames: { uniqueHandlePerTenant: 'accounts_handle_key' },
    skipUniqueIndexes: ['uniqueNumber'],
    customIndexes: [
      { fields: ['city'] },
      { fields: ['tenant', 'city'], unique: true },
      { fields: ['deletedAt'], name: 'accounts_deleted', where: 'deleted_at IS NOT NULL' },
    ],
  },
})

export const Currency = defineResource({
  name: 'Currency',
  attributes: { id: attr.integerPrimaryKey(), code: attr.ciString({ allowNull: false }) },
  identities: { uniqueCode: ['code'] },
  sqlite: { repo: shop, table: 'currencies' },
})

/** Every reference option, a self reference and a composite primary key of belongsTo keys. */
export const Order = defineResource({
  name: 'Order',
  attributes: { id: attr.integerPrimaryKey(), note: attr.string() },
  relationships: {
    account: belongsTo(() => Account, { allowNull: false }),
    buyer: belongsTo(() => Account),
    approver: belongsTo(() => Account),
    auditor: belongsTo(() => Account),
    reviewer: belongsTo(() => Account, { attribute: 'reviewedBy' }),
    parent: belongsTo((): AnyResource => Order, { attributeType: 'integer' }),
    currency: belongsTo(() => Currency, { attribute: 'currencyCode', destinationAttribute: 'code' }),
  },
  sqlite: {
    repo: shop,
    table: 'orders',
    references: {
      account: { onDelete: 'delete', onUpdate: 'update' },
      buyer: { onDelete: 'nilify', onUpdate: 'restrict' },
      approver: { onDelete: 'restrict', name: 'orders_approver_fk' },
      auditor: { onDelete: 'nothing', onUpdate: 'nothing' },
      reviewer: { ignore: true },
      parent: { onDelete: 'delete' },
    },
  },
})

export const OrderLine = defineResource({
  name: 'OrderLine',
  attributes: {
    position: attr.integer({ primaryKey: true }),
    quantity: attr.integer({ allowNull: false, default: 1 }),
  },
  relationships: { order: belongsTo(() => Order, { primaryKey: true }) },
  sqlite: { repo: shop, table: 'order_lines', references: { order: { onDelete: 'delete' } } },
})

export const catalog = [Everything, Defaults, Options, Account, Currency, Order, OrderLine]
