import { defineConfig } from 'vitest/config'

// The pipeline test runs the built CLI and the query script as child processes against temporary databases.
export default defineConfig({
  test: { include: ['test/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 },
})
