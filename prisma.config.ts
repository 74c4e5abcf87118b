import { defineConfig } from 'prisma/config';

// Prisma 7 reads no .env and `env('DATABASE_URL')` would make `prisma generate` fail when the
// variable is unset (embedded mode sets it only at start), so fall back to a placeholder:
// generate never connects.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: {
    url: process.env.DATABASE_URL ?? 'postgresql://placeholder@localhost:5432/placeholder',
  },
});
