import { defineConfig } from 'vitest/config';

// npm test: needs Node only. Real services (Redis, a cloud) and the slow suites have configs of their own.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/cloud/**', 'test/soak/**', 'test/**/*.integration.test.ts', 'node_modules/**'],
    testTimeout: 15_000,
    hookTimeout: 15_000,
    // Vitest's default on 2 cores is one worker; most files wait on loopback I/O, so three share two cores
    // well, and threads start faster than forked processes (measured: 50 s against 59 s for the suite).
    pool: 'threads',
    maxWorkers: 3,
    // Modules load once per worker, not once per file (import time fell from ~40 s to ~9 s summed). Each test
    // builds its own bot with createFipbot; the one global in src/ is the log redactor's list of secrets,
    // which only ever grows (redacting more, never less).
    isolate: false,
  },
});
