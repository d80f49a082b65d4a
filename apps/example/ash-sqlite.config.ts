import { defineConfig } from '@ash-sqlite/migrations'
import { analytics, blog } from './src/domain/index.js'

// Two repos, found from the resources: `main` (the blog) and `analytics` (events).
// Migrations go to migrations/<repo>/, resource snapshots to resource_snapshots/<repo>/ (the defaults).
export default defineConfig({ domains: [blog, analytics] })
