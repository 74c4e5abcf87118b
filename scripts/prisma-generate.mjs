// Runs `prisma generate` without the network. The Prisma CLI insists on a schema-engine
// binary and would download one; generate never uses it, so we point it at a stub that
// exits 1. Migrations run through Prisma's WASM schema engine instead (scripts/migrate.ts).
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const stub = fileURLToPath(new URL('./schema-engine-stub.sh', import.meta.url));
if (existsSync(stub)) chmodSync(stub, 0o755);

const result = spawnSync(process.execPath, ['node_modules/prisma/build/index.js', 'generate'], {
  stdio: 'inherit',
  env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: stub, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
});
process.exit(result.status ?? 1);
