import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'cli/**/*.test.ts', 'test/**/*.test.ts', 'properties/**/*.prop.ts', 'properties/**/*.test.ts'],
    testTimeout: 120_000,
    pool: 'forks',
  },
});
