import { defineRepo } from '@ash-sqlite/resource'

// Relative file: URLs are resolved against the working directory, which is this app's folder for every
// package script (`pnpm db:migrate`, `pnpm query`, the turbo tasks). Set the variables to point elsewhere,
// e.g. at a libsql:// server, or at temporary files as the pipeline test does.
export const main = defineRepo({ name: 'main', url: process.env.MAIN_DB_URL ?? 'file:data/main.db' })

export const analytics = defineRepo({
  name: 'analytics',
  url: process.env.ANALYTICS_DB_URL ?? 'file:data/analytics.db',
})
