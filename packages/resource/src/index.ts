export * from './errors.js'
export type * from './repo.js'
export type * from './table-state.js'
