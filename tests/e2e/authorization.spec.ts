// Every server action in the build and every /api route handler on disk refuses an anonymous
// caller, and every write refuses a viewer — and nothing is written when they do. A private
// incident answers every incident-scoped route and page exactly as a missing one to a responder
// who is no member and to a viewer, while its members and admins see it.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { operations } from '@/lib/catalogue';
import { projectRoot, routeHandlers } from '../support/routes';
import { ADMIN, cliToken, DEMO_PASSWORD, signIn, VIEWER, withDb } from './support';

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
       UNION ALL SELECT 'checklist_items', count(*) FROM checklist_items UNION ALL SELECT 'members', count(*) FROM incident_members
       UNION ALL SELECT 'smes', count(*) FROM incident_smes UNION ALL SELECT 'action_items', count(*) FROM action_items
       UNION ALL SELECT 'action_item_versions', coalesce(sum(version), 0) FROM action_items UNION ALL SELECT 'status_updates', count(*) FROM status_updates
       UNION ALL SELECT 'deliveries', count(*) FROM remediation_deliveries UNION ALL SELECT 'postmortem_versions', coalesce(sum(version), 0) FROM postmortems
       UNION ALL SELECT 'alert_sources', count(*) FROM alert_sources UNION ALL SELECT 'source_versions', coalesce(sum(version), 0) FROM alert_sources
       UNION ALL SELECT 'alerts', count(*) FROM alerts UNION ALL SELECT 'alert_counts', coalesce(sum(count), 0) FROM alerts
       UNION ALL SELECT 'alerts_resolved', count(*) FROM alerts WHERE resolved_at IS NOT NULL
       UNION ALL SELECT 'alerts_acknowledged', count(*) FROM alerts WHERE acknowledged_at IS NOT NULL
       UNION ALL SELECT 'alert_silences', count(*) FROM alert_silences UNION ALL SELECT 'silences_ended', count(*) FROM alert_silences WHERE ended_at IS NOT NULL`,
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

  // What anyone signed in may do to their own account (and is tested in security.spec.ts): it
  // would end this very session, so it is left out here.
  const selfService = new Set(['lib/users/actions.ts#signOutEverywhereAction']);

  test('a viewer is refused by every write action and nothing is written', async ({ page, baseURL }) => {
    await signIn(page, VIEWER);
    const before = await rowCounts();
    for (const action of builtActions().filter((a) => !selfService.has(`${a.file}#${a.name}`))) {
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
    test.setTimeout(120_000);
    const before = await rowCounts();
    for (const handler of handlers) {
      const operation = operationFor(handler.method, handler.path);
      const response = await probe(baseURL!, handler.method, concrete(handler.path));
      // Routes with a credential of their own (an alert source's token) refuse a caller without it.
      if (operation.ownCredential) {
        expect(response.status, `${handler.method} ${handler.path}`).toBe(401);
        expect(response.contentType).toContain('application/problem+json');
      } else if (operation.permission === null) expect(response.status, `${handler.method} ${handler.path}`).toBeLessThan(400);
      else {
        expect(response.status, `${handler.method} ${handler.path}`).toBe(401);
        expect(response.contentType).toContain('application/problem+json');
      }
    }
    expect(await rowCounts()).toEqual(before);
  });

  test("a viewer's token is refused by every write and every admin read; an admin's is not", async ({ request, baseURL }) => {
    // One request per route (well over a hundred), on a machine that may be busy.
    test.setTimeout(120_000);
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

  test("alert ingestion takes only a source's token: not a user's, not a wrong one, and none writes anything", async ({ baseURL }) => {
    const adminToken = cliToken(ADMIN.email);
    const before = await rowCounts();
    const generic = JSON.stringify({ dedupKey: 'authz-probe', status: 'firing', title: 'Should not be stored' });
    for (const [kind, body] of [
      ['alertmanager', JSON.stringify({ version: '4', groupKey: 'g', status: 'firing', alerts: [{ status: 'firing', labels: { alertname: 'AuthzProbe' }, startsAt: '2026-11-30T10:00:00Z' }] })],
      ['grafana', JSON.stringify({ status: 'firing', groupKey: 'g', alerts: [{ status: 'firing', labels: { alertname: 'AuthzProbe' }, startsAt: '2026-11-30T10:00:00Z' }] })],
      ['generic', generic],
    ] as const) {
      for (const authorization of [`Bearer ${adminToken}`, 'Bearer sitrep_alerts_not-a-real-token']) {
        const response = await fetch(`${baseURL}/api/v1/alerts/ingest/${kind}`, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body });
        expect(response.status, `${kind} with ${authorization.slice(0, 20)}…`).toBe(401);
      }
      const query = await fetch(`${baseURL}/api/v1/alerts/ingest/${kind}?token=sitrep_alerts_wrong`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(query.status).toBe(401);
    }
    const pagerDuty = await fetch(`${baseURL}/api/v1/alerts/ingest/pagerduty`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ routing_key: adminToken, event_action: 'trigger', payload: { summary: 'x', source: 'y', severity: 'critical' } }),
    });
    expect(pagerDuty.status).toBe(401);
    expect(await rowCounts()).toEqual(before);
  });
});

test.describe('private incidents', () => {
  // Two hundred requests and four browser sign-ins: a failsafe for a busy machine, not a wait.
  test.describe.configure({ timeout: 120_000 });
  const PRIYA = { email: 'priya@sitrep.local', password: DEMO_PASSWORD }; // declares it: a member
  const SAM = { email: 'sam@sitrep.local', password: DEMO_PASSWORD }; // a responder who is no member
  const MISSING = 999_999;
  const NOBODY = '00000000-0000-4000-8000-000000000000';
  const run = `e2e${Date.now().toString(36)}`;
  const title = `Vault keys leaked ${run}`;
  let tokens: { priya: string; sam: string; viewer: string; admin: string };
  let secret: { number: number; noteId: string; actionItemId: string; deliveryId: string; attachmentId: string };

  /** One request, as a token: status, content type and the body (not read for a stream that answers 200). */
  async function call(baseURL: string, method: string, urlPath: string, token: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(baseURL + urlPath, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
      body: method === 'GET' || method === 'DELETE' ? undefined : JSON.stringify(body ?? {}),
      redirect: 'manual',
    });
    const contentType = response.headers.get('content-type') ?? '';
    if (contentType.includes('text/event-stream')) {
      await response.body?.cancel();
      return { status: response.status, contentType, body: null as unknown };
    }
    const text = await response.text();
    return { status: response.status, contentType, body: contentType.includes('json') ? (JSON.parse(text) as unknown) : text };
  }

  /** A problem answer without its request id, with what the missing request named (its key, the id of nothing) written as the hidden one. */
  function shape(answer: Awaited<ReturnType<typeof call>>, asked: number) {
    const body = answer.body as Record<string, unknown> | string | null;
    if (!body || typeof body !== 'object') return { status: answer.status, contentType: answer.contentType, body };
    const { requestId: _requestId, ...rest } = body;
    let text = JSON.stringify(rest).replaceAll(`INC-${MISSING}`, `INC-${asked}`);
    for (const id of [secret.actionItemId, secret.deliveryId]) text = text.replaceAll(id, NOBODY);
    return { status: answer.status, contentType: answer.contentType, body: JSON.parse(text) as unknown };
  }

  // A body each write would accept, so that only the incident's visibility can stop it.
  const validBodies: Record<string, unknown> = {
    'PATCH /api/v1/incidents/{number}': { status: 'identified' },
    'PATCH /api/v1/incidents/{number}/times': { field: 'startedAt', value: null, reason: 'checking' },
    'PUT /api/v1/incidents/{number}/roles/{role}': { email: SAM.email },
    'POST /api/v1/incidents/{number}/smes': { email: SAM.email },
    'POST /api/v1/incidents/{number}/members': { email: SAM.email },
    'POST /api/v1/incidents/{number}/timeline': { body: 'let me in' },
    'PATCH /api/v1/incidents/{number}/timeline/{id}': { pinned: true },
    'POST /api/v1/incidents/{number}/updates': { audience: 'internal', body: 'hello' },
    'POST /api/v1/incidents/{number}/action-items': { title: 'Something to do' },
    'PATCH /api/v1/action-items/{id}': { status: 'done' },
    'POST /api/v1/incidents/{number}/checklists': { runbookId: NOBODY },
    'POST /api/v1/incidents/{number}/checklists/{checklistId}/items': { title: 'A step' },
    'PATCH /api/v1/incidents/{number}/checklists/{checklistId}/items/{itemId}': { state: 'done' },
    'POST /api/v1/incidents/{number}/remediations': { actionId: NOBODY },
    'POST /api/v1/incidents/{number}/alerts': { alertId: NOBODY },
    'POST /api/v1/incidents/{number}/pages': { target: { user: SAM.email }, message: 'Can you look?' },
    'POST /api/v1/incidents/{number}/merge': { into: 1, reason: 'duplicate' },
    'POST /api/v1/deliveries/{id}/resend': { confirm: true },
    'PATCH /api/v1/incidents/{number}/postmortem': { status: 'in_review' },
    'PATCH /api/v1/incidents/{number}/postmortem/sections/{key}': { body: 'rewritten' },
  };

  // Routes that belong to an incident: by its number, or by the id of something of it.
  const incidentScoped = () =>
    routeHandlers()
      .map((handler) => ({ ...handler, operation: operations.find((o) => o.method === handler.method && o.path === handler.path)! }))
      .filter(({ path }) => path.includes('{number}') || /^\/api\/v1\/(action-items|deliveries)\/\{id\}/.test(path));

  /** The path for the private incident (`number` = it) or for a missing one, with the ids of its things or of nothing. */
  function concretePath(urlPath: string, number: number, real: boolean) {
    const id = urlPath.startsWith('/api/v1/action-items')
      ? secret.actionItemId
      : urlPath.startsWith('/api/v1/deliveries')
        ? secret.deliveryId
        : urlPath.includes('/attachments/')
          ? secret.attachmentId
          : secret.noteId;
    return urlPath
      .replace('{number}', String(number))
      .replace('{id}', real ? id : urlPath.includes('{number}') ? id : NOBODY)
      .replace('{checklistId}', NOBODY)
      .replace('{itemId}', NOBODY)
      .replace('{key}', 'summary')
      .replace('{role}', 'scribe')
      .replace('{email}', encodeURIComponent(PRIYA.email));
  }

  test.beforeAll(async ({ request }) => {
    test.setTimeout(120_000); // each token is made by a CLI process
    tokens = { priya: cliToken(PRIYA.email), sam: cliToken(SAM.email), viewer: cliToken(VIEWER.email), admin: cliToken(ADMIN.email) };
    const as = (token: string) => ({ authorization: `Bearer ${token}` });
    const declared = await request.post('/api/v1/incidents', { headers: as(tokens.priya), data: { title, severity: 'SEV1', summary: 'Keys found on a paste site', services: [`vault-${run}`], private: true } });
    expect(declared.status()).toBe(201);
    const incident = (await declared.json()) as { number: number; private: boolean };
    expect(incident.private).toBe(true);
    const note = (await (await request.post(`/api/v1/incidents/${incident.number}/timeline`, { headers: as(tokens.priya), data: { body: 'Rotating the root token' } })).json()) as { id: string };
    expect((await request.post(`/api/v1/incidents/${incident.number}/updates`, { headers: as(tokens.priya), data: { audience: 'internal', body: 'Keys rotated' } })).status()).toBe(201);
    expect((await request.post(`/api/v1/incidents/${incident.number}/postmortem`, { headers: as(tokens.priya) })).status()).toBe(201);
    const item = (await (await request.post(`/api/v1/incidents/${incident.number}/action-items`, { headers: as(tokens.priya), data: { title: `Audit vault access ${run}`, dueDate: '2020-01-01' } })).json()) as { id: string };
    const action = (await (await request.post('/api/v1/remediation-actions', { headers: as(tokens.admin), data: { name: `Revoke tokens ${run}`, url: 'http://localhost:9/revoke' } })).json()) as { id: string };
    const delivery = await request.post(`/api/v1/incidents/${incident.number}/remediations`, { headers: as(tokens.priya), data: { actionId: action.id } });
    expect(delivery.status()).toBe(202);
    const attachment = await request.post(`/api/v1/incidents/${incident.number}/attachments?filename=rotation.txt`, {
      headers: { ...as(tokens.priya), 'content-type': 'application/octet-stream' },
      data: Buffer.from('root token rotated at 10:02'),
    });
    expect(attachment.status()).toBe(201);
    secret = {
      number: incident.number,
      noteId: note.id,
      actionItemId: item.id,
      deliveryId: ((await delivery.json()) as { id: string }).id,
      attachmentId: ((await attachment.json()) as { id: string }).id,
    };
  });

  test('every incident-scoped route answers a non-member responder and a viewer exactly as a missing incident, and writes nothing', async ({ baseURL }) => {
    const routes = incidentScoped();
    expect(routes.length).toBeGreaterThan(30);
    // The fired delivery keeps retrying in the background and writes its attempts on the timeline: those are not the callers' doing.
    const writes = async () => ({ ...(await rowCounts()), events: await withDb(async (client) => Number((await client.query("SELECT count(*) FROM timeline_events WHERE kind <> 'remediation'")).rows[0].count)) });
    const before = await writes();
    for (const who of ['sam', 'viewer'] as const) {
      for (const route of routes) {
        const key = `${route.method} ${route.path}`;
        const body = validBodies[key];
        const headers: Record<string, string> = route.path.endsWith('/sections/{key}') ? { 'if-match': '"1"' } : {};
        const hidden = shape(await call(baseURL!, route.method, concretePath(route.path, secret.number, true), tokens[who], body, headers), secret.number);
        const missing = shape(await call(baseURL!, route.method, concretePath(route.path, MISSING, false), tokens[who], body, headers), secret.number);
        expect(hidden, `${who}: ${key}`).toEqual(missing);
        // Reads are refused as not found; writes too, or (a viewer's) as forbidden, as for a missing incident.
        expect([404, 403], `${who}: ${key} answered ${hidden.status}`).toContain(hidden.status);
        if (route.method === 'GET') expect(hidden.status, `${who}: ${key}`).toBe(404);
      }
    }
    expect(await writes()).toEqual(before);
  });

  test('its declarer and an admin read every one of those routes', async ({ baseURL }) => {
    for (const who of ['priya', 'admin'] as const) {
      for (const route of incidentScoped().filter((r) => r.method === 'GET')) {
        const answer = await call(baseURL!, 'GET', concretePath(route.path, secret.number, true), tokens[who]);
        expect(answer.status, `${who}: GET ${route.path}: ${JSON.stringify(answer.body).slice(0, 200)}`).toBe(200);
      }
    }
  });

  test('listings leave it out for a non-member and keep it for a member', async ({ baseURL }) => {
    const numbers = async (token: string, urlPath: string) => ((await call(baseURL!, 'GET', urlPath, token)).body as { items: { number?: number; incident?: { number: number } }[] }).items.map((i) => i.number ?? i.incident?.number);
    for (const token of [tokens.sam, tokens.viewer]) {
      expect(await numbers(token, `/api/v1/incidents?q=${run}`)).toEqual([]);
      expect(await numbers(token, '/api/v1/action-items?overdue=true')).not.toContain(secret.number);
    }
    expect(await numbers(tokens.priya, `/api/v1/incidents?q=${run}`)).toEqual([secret.number]);
    expect(await numbers(tokens.admin, '/api/v1/action-items?overdue=true')).toContain(secret.number);
    const status = await call(baseURL!, 'GET', '/api/v1/status', tokens.sam);
    expect(JSON.stringify(status.body)).not.toContain(title);
  });

  test('its pages are a missing incident’s page to a non-member and a viewer, and the incident to its declarer', async ({ browser }) => {
    const pages = [`/incidents/${secret.number}`, `/incidents/${secret.number}/timeline`, `/incidents/${secret.number}/review`];
    for (const who of [SAM, VIEWER]) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await signIn(page, who);
      for (const path of pages) {
        const missingPath = path.replace(String(secret.number), String(MISSING));
        const missing = await page.goto(missingPath);
        await expect(page.getByRole('heading', { name: 'No such incident' })).toBeVisible({ timeout: 15_000 });
        const missingText = (await page.locator('main').innerText()).replaceAll(String(MISSING), String(secret.number));
        const hidden = await page.goto(path);
        // The status is the missing incident's, whatever it is (a page that streams answers 200 before it can say "not found").
        expect(hidden!.status(), `${who.email}: ${path}`).toBe(missing!.status());
        await expect(page.getByRole('heading', { name: 'No such incident' })).toBeVisible({ timeout: 15_000 });
        expect(await page.locator('main').innerText(), `${who.email}: ${path}`).toBe(missingText);
        expect(await page.content()).not.toContain(title);
      }
      await page.goto('/');
      expect(await page.content()).not.toContain(title);
      await context.close();
    }
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, PRIYA);
    for (const path of pages) {
      expect((await page.goto(path))!.status(), path).toBe(200);
      await expect(page.getByText(title).first()).toBeVisible({ timeout: 15_000 });
    }
    await context.close();
  });
});
