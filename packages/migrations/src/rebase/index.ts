/**
 * `rebase`: after merging branches whose migrations do not commute, regenerate one branch's migration on
 * top of the other's. Exported from the generator entry (`@ash-sqlite/migrations/generator`).
 */
export { RebaseStatusError } from './errors.js'
export { rebase } from './rebase.js'
export type { RebaseOptions, RebaseResult } from './types.js'
