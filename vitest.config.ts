import { defineConfig } from 'vitest/config';

export default defineConfig({
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
      exclude: ['src/bin/**'],
      reporter: ['text-summary', 'html'],
      reportsDirectory: 'coverage/tests',
      thresholds: {
        'src/telepathy/domain/**': { lines: 95, branches: 95 },
        'src/backup/domain/**': { lines: 95, branches: 95 },
      },
    },
  },
});
