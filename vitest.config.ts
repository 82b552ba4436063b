import { configDefaults, defineConfig } from 'vitest/config';

const withPostgres = Boolean(process.env.TEST_DATABASE_URL);
const server = ['src/**/*.test.ts', 'tests/*.test.ts'];
/** Checks that do not depend on the database run once, in the pglite project. */
const databaseIndependent = ['tests/typecheck.test.ts'];

export default defineConfig({
  test: {
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'pglite', include: server, env: { GUICHET_TEST_DB: 'pglite' } } },
      ...(withPostgres
        ? [
            {
              extends: true,
              test: {
                name: 'postgres',
                include: server,
                exclude: [...configDefaults.exclude, ...databaseIndependent],
                env: { GUICHET_TEST_DB: 'postgres' },
              },
            },
          ]
        : []),
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['tests/e2e/**/*.test.ts'],
          // Builds dist/web when it is missing or older than its sources (this project only).
          globalSetup: ['tests/support/build-web.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          env: { GUICHET_TEST_DB: 'pglite' },
        },
      },
    ],
  },
});
