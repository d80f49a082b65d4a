import { defineConfig } from 'vitest/config'

// Workspace packages resolve to their TypeScript sources in tests (the `@ash-sqlite/source` export
// condition), so a test run never depends on a stale build. Child-process tests run the built CLI.
const sourceCondition = ['@ash-sqlite/source']

const pkg = (name: string, extra: { testTimeout?: number } = {}) => ({
  extends: false as const,
  resolve: { conditions: sourceCondition },
  ssr: { resolve: { conditions: sourceCondition } },
  test: {
    name,
    root: `packages/${name}`,
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    typecheck: { enabled: true, include: ['src/**/*.test-d.ts', 'test/**/*.test-d.ts'], tsconfig: 'tsconfig.json' },
    testTimeout: extra.testTimeout ?? 30_000,
    hookTimeout: 60_000,
  },
})

export default defineConfig({
  test: {
    reporters: ['default', './scripts/summary-reporter.ts'],
    projects: [pkg('resource'), pkg('snapshot'), pkg('migrations', { testTimeout: 60_000 })],
  },
})
