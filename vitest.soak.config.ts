import { defineConfig } from 'vitest/config';

// The slow reliability suites (each longer than ~20 s): npm run test:soak. Demo cloud only.
export default defineConfig({
  test: {
    include: ['test/soak/**/*.soak.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 60_000,
  },
});
