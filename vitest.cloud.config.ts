import { defineConfig } from 'vitest/config';

// The suites that need a real cloud (OS_CLOUD + FIPBOT_TEST_ADMIN_CLOUD): npm run test:cloud.
export default defineConfig({
  test: {
    include: ['test/cloud/**/*.cloud.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    // One cloud, shared topology: files must not run at the same time.
    fileParallelism: false,
  },
});
