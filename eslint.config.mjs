import nextCoreWebVitals from 'eslint-config-next/core-web-vitals';
import nextTypescript from 'eslint-config-next/typescript';

const noDatabase = {
  group: ['@/lib/platform/db', '@/lib/generated/prisma/*', '@prisma/*', 'pg'],
  allowTypeImports: true,
  message: 'Pages, routes and components never reach the database: read through lib/<domain>/queries.ts and change through lib/<domain>/service.ts (STYLE.md, "One path for every change").',
};

const config = [
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    ignores: ['.next/**', '.data/**', 'lib/generated/**', 'node_modules/**', '.scratch/**', 'test-results/**', 'playwright-report/**', 'next-env.d.ts'],
  },
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Only lib/platform/env.ts reads the environment (STYLE.md); scripts hand values to it.
    files: ['app/**', 'components/**', 'lib/**'],
    ignores: ['lib/platform/env.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through lib/platform/env.ts.' }],
    },
  },
  // The house plan (docs/ARCHITECTURE.md, "Where code lives"), held by lint rather than by
  // convention. Each message names the rule and the room the code belongs in.
  {
    files: ['app/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [noDatabase] }],
    },
  },
  {
    files: ['components/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            noDatabase,
            {
              group: ['@/lib/*/service', '@/lib/*/queries', '@/lib/*/command-view', '@/lib/*/delivery', '@/lib/platform/delivery/*', '@/lib/platform/live/*', '@/lib/platform/auth/session', '@/lib/platform/auth/principal'],
              allowTypeImports: true,
              message:
                'Components may run in the browser: change things through a server action (lib/<domain>/actions.ts) and take data as props from the page; only types may be imported from services and queries.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['lib/platform/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@/lib/*', '@/lib/*/**', '!@/lib/platform', '!@/lib/platform/**', '!@/lib/generated', '!@/lib/generated/**'],
              message:
                'lib/platform is plumbing and imports no domain: have the domain pass in what is needed (a callback, a channel from defineChannel, a DeliveryKind), or move this code to lib/<domain>/.',
            },
          ],
        },
      ],
    },
  },
];

export default config;
