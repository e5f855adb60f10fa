import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The package.json imports map (#backup/..., #telepathy/...) points at src/ under cave-source;
  // the rest is vite's default list for code that runs in Node.
  ssr: { resolve: { conditions: ['cave-source', 'module', 'node', 'development|production'] } },
  test: {
    include: ['test/**/*.test.ts'],
    // Tests must never reach the user's real session bus; private-bus tests pass their own address.
    env: { DBUS_SESSION_BUS_ADDRESS: 'disabled:', DBUS_SYSTEM_BUS_ADDRESS: 'disabled:' },
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/vitest.json' },
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      // The report page's scripts run in Chromium (test/backup/html/report-in-chromium.test.ts), where v8 coverage does not reach.
      exclude: ['src/bin/**', 'src/backup/report/html/client/**'],
      reporter: ['text-summary', 'html'],
      reportsDirectory: 'coverage/tests',
      thresholds: {
        // Every pure folder (test/support/architecture-rules.ts names them).
        'src/telepathy/domain/**': { lines: 95, branches: 95 },
        'src/backup/domain/**': { lines: 95, branches: 95 },
        'src/backup/scan/**': { lines: 95, branches: 95 },
        'src/backup/report/**': { lines: 95, branches: 95 },
      },
    },
  },
});
