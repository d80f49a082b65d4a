export type { ArrayItemType, AttributeType, KeyAttributeType } from './attribute-types.js'
export { ATTRIBUTE_TYPES, SQL_TYPES } from './attribute-types.js'
export type {
  AnyAttribute,
  ArrayAttribute,
  Attribute,
  AttributeBuilders,
  AttributeOptions,
  AttributePreset,
  DatetimeOptions,
  DatetimeStorage,
  EnumAttribute,
  EnumOptions,
  GeneratedOption,
  JsonAttribute,
  JsonBuilder,
  JsonObject,
  NonNullFlag,
  PresetAttributeOptions,
  ScalarAttribute,
  ScalarBuilder,
  TimestampAttribute,
  TimestampOptions,
} from './attributes.js'
export { attr } from './attributes.js'
export { collectTableStates } from './collect-table-states.js'
// Every type an inferred resource type names is exported, so modules of resources compile with declaration: true.
export type * from './column-types.js'
export { type Domain, defineDomain, isDomain, schemaOf } from './define-domain.js'
export {
  type D1RepoConfig,
  defineRepo,
  type FleetRepoConfig,
  isD1Repo,
  isRepo,
  type SingleDatabaseRepoConfig,
} from './define-repo.js'
export { defineResource } from './define-resource.js'
export type { DrizzleSchema, ResourceRelations, SchemaRelations, SchemaTables } from './drizzle-schema.js'
export {
  type BuildTableOptions,
  buildSqliteTable,
  type ColumnRuntime,
  sqliteTablesFromStates,
  type TablesFromStatesOptions,
} from './drizzle-table.js'
export * from './errors.js'
export { snakeCase } from './identifiers.js'
export type {
  AnyRelationship,
  BelongsTo,
  BelongsToOptions,
  HasMany,
  HasOne,
  HasOptions,
  ManyToMany,
  ManyToManyOptions,
  ResourceThunk,
  TargetOf,
} from './relationships.js'
export { belongsTo, hasMany, hasOne, manyToMany } from './relationships.js'
export type * from './repo.js'
export { isResource } from './resolve-state.js'
export type {
  AnyResource,
  AttributeKey,
  AttributeMap,
  BelongsToKeyName,
  CheckConstraintDefinition,
  CustomIndexDefinition,
  CustomStatementDefinition,
  IdentityDefinition,
  IndexField,
  ReferenceActionOption,
  ReferenceOptions,
  RelationshipMap,
  Resource,
  ResourceDefinition,
  ResourceRenames,
  ResourceTable,
  SqliteOptions,
} from './resource.js'
export { closestName, didYouMean } from './suggest.js'
export type * from './table-state.js'
