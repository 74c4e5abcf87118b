import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  resolve: {
    // `server-only` throws outside React's server build; tests run server code directly.
    alias: { '@': root, 'server-only': `${root}node_modules/server-only/empty.js` },
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['lib/**/*.test.ts', 'tests/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          // A fixed test key for secrets at rest, the local webhook receiver allowed by name, and a
          // session secret (tests make session cookies as next-auth does).
          env: { SITREP_ENCRYPTION_KEY: 'c2l0cmVwLXRlc3Qta2V5LTMyLWJ5dGVzLWxvbmctISE=', SITREP_WEBHOOK_ALLOW_HOSTS: 'localhost', AUTH_SECRET: 'integration-tests-session-secret-0123456789' },
          // One embedded PostgreSQL for the whole run, migrated; tests get its URL via
          // inject('databaseUrl') or process.env.DATABASE_URL.
          globalSetup: ['tests/integration/global-setup.ts'],
          pool: 'forks',
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          // Real `next start` processes on a PostgreSQL of their own, crashed and restarted on
          // purpose (see the comment atop each file). Run after Playwright in `npm test`,
          // which leaves the production build behind.
          name: 'survival',
          include: ['tests/survival/**/*.test.ts'],
          environment: 'node',
          env: { SITREP_ENCRYPTION_KEY: 'c2l0cmVwLXRlc3Qta2V5LTMyLWJ5dGVzLWxvbmctISE=', SITREP_WEBHOOK_ALLOW_HOSTS: 'localhost', AUTH_SECRET: 'integration-tests-session-secret-0123456789' },
          globalSetup: ['tests/survival/global-setup.ts'],
          pool: 'forks',
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 240_000,
        },
      },
    ],
  },
});
