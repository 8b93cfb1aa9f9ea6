import { defineConfig } from 'vitest/config';

// The suites that need a real redis-server on PATH (they start their own on 127.0.0.1): npm run test:integration.
export default defineConfig({
  test: {
    include: ['test/**/*.integration.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
