// The web server process. In production it runs bundled, as
// `node --conditions=react-server .next/sitrep/serve.mjs --port 3000 --hostname 127.0.0.1`
// (scripts/support/bundle-server.ts makes it with the build); under `npm run dev` from source, as
// `node --conditions=react-server --import tsx scripts/serve.ts … --dev`. Started by
// scripts/start.ts (npm start / npm run dev) and scripts/support/instances.ts, with the
// environment they prepared (DATABASE_URL and the secrets).
import { MAX_ATTACHMENT_BYTES } from '@/lib/attachments/schema';
import { operations } from '@/lib/catalogue';
import { env } from '@/lib/platform/env';
import { DEFAULT_BODY_LIMIT } from '@/lib/platform/http/body';
import { parseTrustedProxies } from '@/lib/platform/http/client-address';
import { commonSecurityHeaders } from '@/lib/platform/http/security-headers';
import { serve } from '@/lib/platform/runtime/server';
import { pathPattern } from '@/lib/platform/runtime/direct';
import { root } from './support/build';
import { intakeRoutes, streamRoutes, writeRoutes } from './support/direct-routes';

const argument = (name: string) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : undefined;
};

// Operations that read larger bodies than the default say so (the runbook importer); the pages
// whose server actions do: the importer's preview, and the command view, whose note box uploads
// a pasted screenshot (up to MAX_ATTACHMENT_BYTES) through attachFileAction as form data.
const operationLimits = operations
  .filter((operation) => operation.maxBodyBytes !== undefined)
  .map((operation) => ({ method: operation.method, path: pathPattern(operation.path), limit: operation.maxBodyBytes! }));
const IMPORT_PAGES = new Set(['/runbooks/import']);
const IMPORT_ACTION_LIMIT = 4 * 1024 * 1024;
const COMMAND_VIEW = /^\/incidents\/\d+$/;
const ATTACHMENT_ACTION_LIMIT = MAX_ATTACHMENT_BYTES + 1024 * 1024; // the form's framing and other fields

const port = Number(argument('port') ?? env.PORT);
const hostname = argument('hostname') ?? env.HOST ?? '127.0.0.1';

const dev = process.argv.includes('--dev');

await serve({
  dir: root,
  dev,
  port,
  hostname,
  trustedProxies: parseTrustedProxies(env.SITREP_TRUSTED_PROXIES),
  headers: commonSecurityHeaders({ https: (env.SITREP_URL ?? env.NEXTAUTH_URL ?? '').startsWith('https://') }),
  bodyLimit(method, pathname, isServerAction) {
    if (isServerAction) return IMPORT_PAGES.has(pathname) ? IMPORT_ACTION_LIMIT : COMMAND_VIEW.test(pathname) ? ATTACHMENT_ACTION_LIMIT : DEFAULT_BODY_LIMIT;
    return operationLimits.find((entry) => entry.method === method && entry.path.test(pathname))?.limit ?? DEFAULT_BODY_LIMIT;
  },
  // Alert intake, notes posted through the API and the live streams are answered beside Next
  // (lib/platform/runtime/direct.ts): Next's per-request pipeline would cost more than storing
  // the alerts or the note, and it holds memory for as long as a stream is open. Under
  // `npm run dev` Next answers everything, so edits to these routes reload.
  direct: async () => (dev ? [] : (await Promise.all([intakeRoutes(), writeRoutes(), streamRoutes()])).flat()),
});
console.log(`[sitrep] Listening on http://${hostname}:${port}`);
