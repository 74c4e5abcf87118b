// Every server action in the build and every /api route handler on disk refuses an anonymous
// caller, and every write refuses a viewer — and nothing is written when they do.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { operations } from '@/lib/catalogue';
import { projectRoot, routeHandlers } from '../support/routes';
import { ADMIN, cliToken, signIn, VIEWER, withDb } from './support';

type BuiltAction = { id: string; name: string; file: string; page: string };

function builtActions(): BuiltAction[] {
  const manifest = JSON.parse(readFileSync(path.join(projectRoot, '.next/server/server-reference-manifest.json'), 'utf8')) as {
    node: Record<string, { workers: Record<string, unknown>; filename: string; exportedName: string }>;
  };
  return Object.entries(manifest.node).map(([id, entry]) => {
    const worker = Object.keys(entry.workers)[0]!; // e.g. app/(app)/settings/users/page
    const page = worker.replace(/^app/, '').replace(/\/\([^)]+\)/g, '').replace(/\/page$/, '') || '/';
    return { id, name: entry.exportedName, file: entry.filename, page };
  });
}

function exportedActionsInSource(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name === 'actions.ts') files.push(full);
    }
  };
  walk(path.join(projectRoot, 'lib'));
  return files.flatMap((file) => {
    const source = readFileSync(file, 'utf8');
    expect(source.startsWith("'use server'"), `${file} must start with 'use server'`).toBe(true);
    return [...source.matchAll(/^export (?:const|async function|function) (\w+)/gm)].map((m) => `${path.relative(projectRoot, file)}#${m[1]}`);
  });
}

async function rowCounts(): Promise<Record<string, number>> {
  return withDb(async (client) => {
    const { rows } = await client.query<{ t: string; n: string }>(
      `SELECT 'users' AS t, count(*) AS n FROM users UNION ALL SELECT 'api_tokens', count(*) FROM api_tokens
       UNION ALL SELECT 'audit_logs', count(*) FROM audit_logs UNION ALL SELECT 'revoked', count(*) FROM api_tokens WHERE revoked_at IS NOT NULL
       UNION ALL SELECT 'disabled', count(*) FROM users WHERE disabled_at IS NOT NULL
       UNION ALL SELECT 'incidents', count(*) FROM incidents UNION ALL SELECT 'versions', coalesce(sum(version), 0) FROM incidents
       UNION ALL SELECT 'events', count(*) FROM timeline_events UNION ALL SELECT 'roles', count(*) FROM incident_roles
       UNION ALL SELECT 'checklist_items', count(*) FROM checklist_items`,
    );
    return Object.fromEntries(rows.map((row) => [row.t, Number(row.n)]));
  });
}

async function callAction(request: APIRequestContext, baseURL: string, action: BuiltAction) {
  return request.post(action.page, {
    headers: { 'next-action': action.id, 'content-type': 'text/plain;charset=UTF-8', origin: baseURL, accept: 'text/x-component' },
    // (previousState, input): an input that would be valid for most actions, so only authorisation stops it.
    data: JSON.stringify([null, { email: 'intruder@example.com', name: 'Intruder', role: 'admin', password: 'intruder-password', userId: '00000000-0000-4000-8000-000000000000', tokenId: '00000000-0000-4000-8000-000000000000' }]),
    maxRedirects: 0,
  });
}

test.describe('server actions', () => {
  test('every exported action is built, and the build has no others', () => {
    const built = builtActions().map((action) => `${action.file}#${action.name}`).sort();
    expect(built.length).toBeGreaterThan(0);
    expect(built).toEqual(exportedActionsInSource().sort());
  });

  test('an anonymous caller is refused by every action and nothing is written', async ({ request, baseURL }) => {
    const before = await rowCounts();
    for (const action of builtActions()) {
      const response = await callAction(request, baseURL!, action);
      const body = await response.text();
      const refused = (response.status() >= 300 && response.status() < 400 && /\/login/.test(response.headers().location ?? '')) || body.includes('"status":401');
      expect(refused, `${action.file}#${action.name} answered ${response.status()}: ${body.slice(0, 200)}`).toBe(true);
    }
    expect(await rowCounts()).toEqual(before);
  });

  test('a viewer is refused by every write action and nothing is written', async ({ page, baseURL }) => {
    await signIn(page, VIEWER);
    const before = await rowCounts();
    for (const action of builtActions()) {
      const response = await callAction(page.request, baseURL!, action);
      const body = await response.text();
      expect(body, `${action.file}#${action.name}`).toContain('"status":403');
    }
    expect(await rowCounts()).toEqual(before);
  });

  test('the same call from an admin goes through (so the refusals above are not an artefact)', async ({ page, baseURL }) => {
    await signIn(page, ADMIN);
    const create = builtActions().find((action) => action.name === 'createUserAction')!;
    const response = await callAction(page.request, baseURL!, create);
    expect(await response.text()).toContain('"ok":true');
    const count = await withDb(async (client) => (await client.query("SELECT count(*) FROM users WHERE email = 'intruder@example.com'")).rows[0].count);
    expect(Number(count)).toBe(1);
  });
});

/** Status and content type only: streams (SSE) never end, so the body is not read. */
async function probe(baseURL: string, method: string, urlPath: string, token?: string): Promise<{ status: number; contentType: string }> {
  const response = await fetch(baseURL + urlPath, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
    body: method === 'GET' ? undefined : '{}',
    redirect: 'manual',
  });
  await response.body?.cancel();
  return { status: response.status, contentType: response.headers.get('content-type') ?? '' };
}

test.describe('API routes', () => {
  const handlers = routeHandlers();
  const operationFor = (method: string, urlPath: string) => operations.find((o) => o.method === method && o.path === urlPath)!;
  const concrete = (urlPath: string) => urlPath.replace(/\{id\}/g, '00000000-0000-4000-8000-000000000000').replace(/\{number\}/g, '1').replace(/\{[^}]+\}/g, 'x');

  test('every route refuses an anonymous caller, except the public ones', async ({ baseURL }) => {
    const before = await rowCounts();
    for (const handler of handlers) {
      const operation = operationFor(handler.method, handler.path);
      const response = await probe(baseURL!, handler.method, concrete(handler.path));
      if (operation.permission === null) expect(response.status, `${handler.method} ${handler.path}`).toBeLessThan(400);
      else {
        expect(response.status, `${handler.method} ${handler.path}`).toBe(401);
        expect(response.contentType).toContain('application/problem+json');
      }
    }
    expect(await rowCounts()).toEqual(before);
  });

  test("a viewer's token is refused by every write and every admin read; an admin's is not", async ({ request, baseURL }) => {
    const viewerToken = cliToken(VIEWER.email);
    const adminToken = cliToken(ADMIN.email);
    const before = await rowCounts();
    for (const handler of handlers) {
      const operation = operationFor(handler.method, handler.path);
      if (operation.permission === null) continue;
      const response = await probe(baseURL!, handler.method, concrete(handler.path), viewerToken);
      const shouldRefuse = handler.method !== 'GET' || operation.permission !== 'read';
      // A read may answer 404 (the test paths name incidents that may not exist), never 401/403.
      if (shouldRefuse) expect(response.status, `${handler.method} ${handler.path}`).toBe(403);
      else expect([401, 403], `${handler.method} ${handler.path}`).not.toContain(response.status);
    }
    expect(await rowCounts()).toEqual(before);

    const adminList = await request.get('/api/v1/users', { headers: { authorization: `Bearer ${adminToken}` } });
    expect(adminList.status()).toBe(200);
    expect((await adminList.json()).items.length).toBeGreaterThan(0);
  });
});
