import { configDefaults, defineConfig } from 'vitest/config';

/**
 * The sweep-engine tests (test/integration: a Slurm array job and GNU parallel) start daemons and
 * run minutes of sweeps; on a loaded 2-core machine the Slurm one took over 10 minutes and is not
 * the ~2-minute reduced run CI can afford, so they run in `npm run props:deep`
 * (scripts/props-deep.sh sets LIVESIM_ENGINE_TESTS=1), or by hand with that variable.
 */
const engineTests = process.env.LIVESIM_ENGINE_TESTS === '1';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'cli/**/*.test.ts', 'test/**/*.test.ts', 'properties/**/*.prop.ts', 'properties/**/*.test.ts'],
    exclude: engineTests ? configDefaults.exclude : [...configDefaults.exclude, 'test/integration/**'],
    testTimeout: 120_000,
    pool: 'forks',
  },
});
