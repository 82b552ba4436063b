import { configDefaults, defineConfig } from 'vitest/config';

const withPostgres = Boolean(process.env.TEST_DATABASE_URL);
const server = ['src/**/*.test.ts', 'tests/*.test.ts'];
/** Checks that do not depend on the database run once, in the pglite project. */
const databaseIndependent = [
  'tests/typecheck.test.ts',
  'tests/node-version.test.ts',
  'tests/newcomer.test.ts',
  'tests/first-load.test.ts',
  'tests/import-cycles.test.ts',
  // The OpenAPI document does not depend on the database.
  'src/server/http/openapi.test.ts',
  'tests/error-translations.test.ts',
  // It starts a PostgreSQL cluster of its own, whichever database the other tests use.
  'tests/db-restart.test.ts',
  'src/shared/**/*.test.ts',
  'src/web/**/*.test.ts',
];
/** Tests of what only a real server has (several connections racing, two instances): the postgres project only. */
const postgresOnly = ['src/**/*.pg.test.ts'];

export default defineConfig({
  test: {
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'pglite', include: server, exclude: [...configDefaults.exclude, ...postgresOnly], env: { GUICHET_TEST_DB: 'pglite' } } },
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
          // A page waits for the server: on a busy CI machine that is more than expect.poll's default second.
          expect: { poll: { timeout: 10_000, interval: 100 } },
          env: { GUICHET_TEST_DB: 'pglite' },
        },
      },
    ],
  },
});
