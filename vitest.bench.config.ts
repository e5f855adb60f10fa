import { defineConfig } from 'vitest/config';

// Benchmarks print ratios against a baseline measured in the same run; they are not tests.
export default defineConfig({
  // The package.json imports map (#backup/..., #telepathy/...) points at src/ under cave-source;
  // the rest is vite's default list for code that runs in Node.
  ssr: { resolve: { conditions: ['cave-source', 'module', 'node', 'development|production'] } },
  test: {
    include: ['test/bench/**/*.bench.ts'],
    env: { DBUS_SESSION_BUS_ADDRESS: 'disabled:', DBUS_SYSTEM_BUS_ADDRESS: 'disabled:' },
    testTimeout: 600_000,
    fileParallelism: false,
  },
});
