import { defineConfig } from 'vitest/config';

// npm test: needs Node only. Real services (Redis, a cloud) and the slow suites have configs of their own.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/cloud/**', 'test/soak/**', 'test/**/*.integration.test.ts', 'node_modules/**'],
    testTimeout: 15_000,
    hookTimeout: 15_000,
    // Vitest's default on 2 cores is one worker; most files wait on loopback I/O, so three share two cores well.
    maxWorkers: 3,
  },
});
