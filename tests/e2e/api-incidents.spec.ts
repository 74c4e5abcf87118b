// The incidents, roles and timeline API as outside tools use it: with a bearer token from the
// CLI, against the production build. Status codes, headers and messages are the contract in
// /work/shared/API.md; scripts are written against them.
import { expect, test, type APIRequestContext, type APIResponse } from '@playwright/test';
import { cliToken, VIEWER, withDb } from './support';

const PRIYA = { email: 'priya@sitrep.local', name: 'Priya Shah' };
const SAM = { email: 'sam@sitrep.local', name: 'Sam Okafor' };
const MEI = { email: 'mei@sitrep.local', name: 'Mei Tanaka' };
const MISSING = 999_999;

type Incident = {
  number: number;
  key: string;
  title: string;
  severity: string;
  status: string;
  services: string[];
  customerImpact: boolean;
  roles: Record<'commander' | 'tech_lead' | 'comms_lead' | 'scribe', { email: string; name: string } | null>;
  smes: { email: string; name: string }[];
  times: Record<string, string | null>;
  version: number;
  url: string;
};
type TimelineEvent = { id: string; seq: number; kind: string; body: string; data: Record<string, unknown>; pinned: boolean; editedAt: string | null; occurredAt: string; actor: { email: string; name: string } | null };
type Problem = { type: string; title: string; status: number; detail: string; errors?: { path: string; message: string }[] };

let priya: string;
let sam: string;
let viewer: string;
const run = `e2e${Date.now().toString(36)}`;

test.beforeAll(() => {
  test.setTimeout(90_000); // each token is made by a CLI process
  priya = cliToken(PRIYA.email);
  sam = cliToken(SAM.email);
  viewer = cliToken(VIEWER.email);
});

const as = (token: string, extra: Record<string, string> = {}) => ({ authorization: `Bearer ${token}`, ...extra });

async function expectProblem(response: APIResponse, status: number): Promise<Problem> {
  const text = await response.text();
  expect(response.status(), text.slice(0, 300)).toBe(status);
  expect(response.headers()['content-type']).toContain('application/problem+json');
  const body = JSON.parse(text) as Problem;
  expect(body.status).toBe(status);
  return body;
}

async function expectJson<T>(response: APIResponse, status: number): Promise<T> {
  const text = await response.text();
  expect(response.status(), text.slice(0, 300)).toBe(status);
  expect(response.headers()['content-type']).toContain('application/json');
  return JSON.parse(text) as T;
}

async function declare(request: APIRequestContext, title: string, extra: Record<string, unknown> = {}): Promise<Incident> {
  return expectJson<Incident>(await request.post('/api/v1/incidents', { headers: as(priya), data: { title: `${title} ${run}`, severity: 'SEV2', ...extra } }), 201);
}

async function timeline(request: APIRequestContext, number: number): Promise<TimelineEvent[]> {
  return (await expectJson<{ items: TimelineEvent[] }>(await request.get(`/api/v1/incidents/${number}/timeline?limit=1000`, { headers: as(priya) }), 200)).items;
}

test.describe('incidents', () => {
  test('POST declares: 201 with the Incident, its ETag and Location; the caller commands unless someone is chosen', async ({ request }) => {
    const response = await request.post('/api/v1/incidents', {
      headers: as(priya),
      data: { title: `Checkout failing ${run}`, severity: 'sev2', summary: 'Card payments time out', services: ['payments-api'], customerImpact: true, startedAt: '2026-01-05T10:00:00Z' },
    });
    const incident = await expectJson<Incident>(response, 201);
    expect(response.headers().etag).toBe(`"${incident.version}"`);
    expect(response.headers().location).toBe(`/api/v1/incidents/${incident.number}`);
    expect(incident).toMatchObject({
      key: `INC-${incident.number}`,
      severity: 'SEV2',
      status: 'investigating',
      summary: 'Card payments time out',
      services: ['payments-api'],
      customerImpact: true,
      roles: { commander: PRIYA, tech_lead: null, comms_lead: null, scribe: null },
      smes: [],
      times: { startedAt: '2026-01-05T10:00:00.000Z', resolvedAt: null, closedAt: null },
    });
    expect(incident.url).toMatch(new RegExp(`/incidents/${incident.number}$`));
    expect((await timeline(request, incident.number)).map((e) => e.kind)).toEqual(['system', 'role']);

    const chosen = await declare(request, 'Queue backlog', { commanderEmail: SAM.email });
    expect(chosen.roles.commander).toEqual(SAM);
    expect(chosen.number).toBeGreaterThan(incident.number);
  });

  test('POST refuses bad input: 422 naming each field, 400 for malformed JSON', async ({ request }) => {
    const unknownSeverity = await expectProblem(await request.post('/api/v1/incidents', { headers: as(priya), data: { title: 'Anything at all', severity: 'SEV5' } }), 422);
    expect(unknownSeverity.errors).toEqual([{ path: 'severity', message: 'SEV5 is not a severity; use SEV1–SEV4' }]);

    const missing = await expectProblem(await request.post('/api/v1/incidents', { headers: as(priya), data: { services: 'checkout' } }), 422);
    expect(missing.errors!.map((e) => e.path).sort()).toEqual(['services', 'severity', 'title']);

    const malformed = await expectProblem(
      await request.post('/api/v1/incidents', { headers: as(priya, { 'content-type': 'application/json' }), data: Buffer.from('{"title": "Checkout",') }),
      400,
    );
    expect(malformed.detail).toMatch(/^The body is not valid JSON/);
  });

  test('GET lists newest first with filters, limit and nextCursor', async ({ request }) => {
    const tag = `${run}-list`;
    const first = await declare(request, `${tag} one`);
    const second = await declare(request, `${tag} two`, { severity: 'SEV1', services: ['search'] });
    const third = await declare(request, `${tag} three`);
    await expectJson(await request.patch(`/api/v1/incidents/${first.number}`, { headers: as(priya), data: { status: 'resolved' } }), 200);

    const list = (query: string) => request.get(`/api/v1/incidents?q=${tag}&${query}`, { headers: as(viewer) });
    type Page = { items: Incident[]; nextCursor: string | null };
    const page1 = await expectJson<Page>(await list('limit=2'), 200);
    expect(page1.items.map((i) => i.number)).toEqual([third.number, second.number]);
    expect(typeof page1.nextCursor).toBe('string');
    const page2 = await expectJson<Page>(await list(`limit=2&cursor=${encodeURIComponent(page1.nextCursor!)}`), 200);
    expect(page2.items.map((i) => i.number)).toEqual([first.number]);
    expect(page2.nextCursor).toBeNull();

    const numbers = async (query: string) => (await expectJson<Page>(await list(query), 200)).items.map((i) => i.number);
    expect(await numbers('status=open')).toEqual([third.number, second.number]);
    expect(await numbers('status=resolved')).toEqual([first.number]);
    expect(await numbers('severity=sev1')).toEqual([second.number]);
    expect(await numbers('service=search')).toEqual([second.number]);
    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    expect(await numbers(`from=${today}&to=${today}`)).toEqual([third.number, second.number, first.number]);
    expect(await numbers(`from=${tomorrow}`)).toEqual([]);

    const all = await expectJson<Page>(await request.get('/api/v1/incidents', { headers: as(viewer) }), 200);
    expect(all.items.length).toBeGreaterThanOrEqual(3);
    expect(all.items.length).toBeLessThanOrEqual(50);
    expect(all.items.map((i) => i.number)).toEqual([...all.items.map((i) => i.number)].sort((a, b) => b - a));

    expect((await expectProblem(await list('status=bogus'), 422)).errors![0]!.path).toBe('query.status');
    expect((await expectProblem(await list('limit=201'), 422)).errors).toEqual([{ path: 'query.limit', message: 'limit is at most 200' }]);
    await expectJson(await list('limit=200'), 200);
    await expectProblem(await list('cursor=not-ours'), 422);
    await expectProblem(await list('from=yesterday'), 422);
  });

  test('GET one by number or key, with its ETag; an unknown incident is 404', async ({ request }) => {
    const incident = await declare(request, 'Get me');
    for (const ref of [String(incident.number), incident.key, incident.key.toLowerCase()]) {
      const response = await request.get(`/api/v1/incidents/${ref}`, { headers: as(viewer) });
      expect(await expectJson<Incident>(response, 200)).toMatchObject({ number: incident.number, title: incident.title });
      expect(response.headers().etag).toBe(`"${incident.version}"`);
    }
    const missing = await expectProblem(await request.get(`/api/v1/incidents/${MISSING}`, { headers: as(viewer) }), 404);
    expect(missing.detail).toBe(`INC-${MISSING} does not exist.`);
    await expectProblem(await request.get('/api/v1/incidents/checkout', { headers: as(viewer) }), 404);
  });

  test('PATCH: 200 with a new ETag, 412 on a stale If-Match, 409 on an invalid move, 422 for a reopen without reason', async ({ request }) => {
    const incident = await declare(request, 'Patch me');
    const url = `/api/v1/incidents/${incident.number}`;

    const moved = await request.patch(url, { headers: as(priya, { 'if-match': `"${incident.version}"` }), data: { status: 'identified', severity: 'SEV1', reason: 'all regions' } });
    const identified = await expectJson<Incident>(moved, 200);
    expect(identified).toMatchObject({ status: 'identified', severity: 'SEV1', version: incident.version + 1 });
    expect(moved.headers().etag).toBe(`"${identified.version}"`);

    // Sam acts on the version he read before Priya's change.
    const stale = await expectProblem(await request.patch(url, { headers: as(sam, { 'if-match': `"${incident.version}"` }), data: { status: 'monitoring' } }), 412);
    expect(stale.detail).toContain(`INC-${incident.number} was changed by ${PRIYA.name}`);
    expect(stale.detail).toContain(`you had version ${incident.version}, it is now ${identified.version}`);

    const invalid = await expectProblem(await request.patch(url, { headers: as(priya), data: { status: 'closed' } }), 409);
    expect(invalid.detail).toBe(`INC-${incident.number} is identified; it can move to investigating, monitoring or resolved, not closed. An incident is closed only once it is resolved.`);

    const same = await expectJson<Incident>(await request.patch(url, { headers: as(priya), data: { status: 'identified' } }), 200);
    expect(same.version).toBe(identified.version);

    const malformed = await expectProblem(await request.patch(url, { headers: as(priya, { 'if-match': 'version 3' }), data: { title: 'Renamed' } }), 400);
    expect(malformed.detail).toContain('If-Match must name one version, e.g. If-Match: "7"');
    await expectProblem(await request.patch(url, { headers: as(priya, { 'if-match': `W/"${identified.version}"` }), data: { title: 'Renamed' } }), 400);

    const typo = await expectProblem(await request.patch(url, { headers: as(priya), data: { staus: 'resolved' } }), 422);
    expect(typo.errors![0]!.message).toContain('Unknown field staus');

    const resolved = await expectJson<Incident>(await request.patch(url, { headers: as(priya, { 'if-match': '*' }), data: { status: 'resolved' } }), 200);
    expect(resolved.times.resolvedAt).not.toBeNull();
    expect(resolved.times.mitigatedAt).not.toBeNull();

    const noReason = await expectProblem(await request.patch(url, { headers: as(priya), data: { status: 'investigating' } }), 422);
    expect(noReason.errors).toEqual([{ path: 'reason', message: `Reopening INC-${incident.number} (now resolved) needs a reason: say what happened.` }]);
    const reopened = await expectJson<Incident>(await request.patch(url, { headers: as(priya), data: { status: 'investigating', reason: 'errors are back' } }), 200);
    expect(reopened.times.resolvedAt).toBeNull();

    await expectProblem(await request.patch(`/api/v1/incidents/${MISSING}`, { headers: as(priya), data: { status: 'resolved' } }), 404);
  });

  test('acknowledge, key-time corrections and the severities', async ({ request }) => {
    const incident = await declare(request, 'Acknowledge me');
    const ack = await request.post(`/api/v1/incidents/${incident.number}/acknowledge`, { headers: as(sam) });
    const acknowledged = await expectJson<Incident>(ack, 200);
    expect(acknowledged.times.acknowledgedAt).not.toBeNull();
    expect(ack.headers().etag).toBe(`"${acknowledged.version}"`);

    const times = `/api/v1/incidents/${incident.number}/times`;
    const corrected = await expectJson<Incident>(
      await request.patch(times, { headers: as(priya), data: { field: 'detectedAt', value: '2026-01-05T10:04:00Z', reason: 'the alert fired then' } }),
      200,
    );
    expect(corrected.times.detectedAt).toBe('2026-01-05T10:04:00.000Z');
    expect((await timeline(request, incident.number)).at(-1)!.body).toContain('corrected “Detected” from unset to 2026-01-05 10:04 UTC: the alert fired then');
    const badField = await expectProblem(await request.patch(times, { headers: as(priya), data: { field: 'declaredAt', value: null, reason: 'nope' } }), 422);
    expect(badField.errors![0]!.path).toBe('field');

    const severities = await expectJson<{ items: { key: string }[] }>(await request.get('/api/v1/severities', { headers: as(viewer) }), 200);
    expect(severities.items.map((s) => s.key)).toEqual(['SEV1', 'SEV2', 'SEV3', 'SEV4']);
  });
});

test.describe('roles', () => {
  test('PUT assigns, PUT on a held role hands off (on the timeline), DELETE unassigns', async ({ request }) => {
    const incident = await declare(request, 'Roles');
    const role = `/api/v1/incidents/${incident.number}/roles/tech_lead`;

    const assigned = await request.put(role, { headers: as(priya), data: { email: SAM.email } });
    const withSam = await expectJson<Incident>(assigned, 200);
    expect(withSam.roles.tech_lead).toEqual(SAM);
    expect(assigned.headers().etag).toBe(`"${withSam.version}"`);

    const withMei = await expectJson<Incident>(await request.put(role, { headers: as(priya), data: { email: MEI.email } }), 200);
    expect(withMei.roles.tech_lead).toEqual(MEI);
    const handoff = (await timeline(request, incident.number)).filter((e) => e.kind === 'role').at(-1)!;
    expect(handoff).toMatchObject({ body: `${PRIYA.name} handed Tech Lead from ${SAM.name} to ${MEI.name}.`, data: { role: 'tech_lead', from: SAM.email, to: MEI.email, handoff: true } });
    const history = await withDb(async (client) =>
      (await client.query<{ email: string }>(
        `SELECT u.email FROM incident_role_holds h JOIN users u ON u.id = h.user_id JOIN incidents i ON i.id = h.incident_id WHERE i.number = $1 AND h.role = 'tech_lead' AND h.until >= h.since`,
        [incident.number],
      )).rows,
    );
    expect(history).toEqual([{ email: SAM.email }]);

    await expectProblem(await request.put(role, { headers: as(priya, { 'if-match': `"${withSam.version}"` }), data: { email: SAM.email } }), 412);
    const unknownUser = await expectProblem(await request.put(role, { headers: as(priya), data: { email: 'nobody@example.com' } }), 422);
    expect(unknownUser.errors).toEqual([{ path: 'email', message: 'No user has the email nobody@example.com' }]);
    const unknownRole = await expectProblem(await request.put(`/api/v1/incidents/${incident.number}/roles/captain`, { headers: as(priya), data: { email: SAM.email } }), 404);
    expect(unknownRole.detail).toContain('commander, tech_lead, comms_lead, scribe');
    await expectProblem(await request.put(`/api/v1/incidents/${MISSING}/roles/tech_lead`, { headers: as(priya), data: { email: SAM.email } }), 404);

    const cleared = await expectJson<Incident>(await request.delete(role, { headers: as(priya) }), 200);
    expect(cleared.roles.tech_lead).toBeNull();
    const again = await expectJson<Incident>(await request.delete(role, { headers: as(priya) }), 200);
    expect(again.version).toBe(cleared.version);
  });

  test('POST adds a subject-matter expert, DELETE by email removes them, and a second DELETE is 404', async ({ request }) => {
    const incident = await declare(request, 'Experts');
    const smes = `/api/v1/incidents/${incident.number}/smes`;
    expect((await expectJson<Incident>(await request.post(smes, { headers: as(priya), data: { email: MEI.email } }), 200)).smes).toEqual([MEI]);
    expect((await expectJson<Incident>(await request.post(smes, { headers: as(priya), data: { email: SAM.email } }), 200)).smes).toEqual([MEI, SAM]);

    expect((await expectJson<Incident>(await request.delete(`${smes}/${encodeURIComponent(MEI.email)}`, { headers: as(priya) }), 200)).smes).toEqual([SAM]);
    expect((await expectJson<Incident>(await request.delete(`${smes}/${SAM.email}`, { headers: as(priya) }), 200)).smes).toEqual([]);
    const gone = await expectProblem(await request.delete(`${smes}/${encodeURIComponent(SAM.email)}`, { headers: as(priya) }), 404);
    expect(gone.detail).toBe(`${SAM.name} is not a subject-matter expert on INC-${incident.number}.`);
    await expectProblem(await request.delete(`${smes}/100%25`, { headers: as(priya) }), 404);
    await expectProblem(await request.post(smes, { headers: as(priya), data: { email: 'not an email' } }), 422);
  });
});

test.describe('timeline', () => {
  test('POST adds a note (201); GET pages by seq with after, limit and nextAfter', async ({ request }) => {
    const incident = await declare(request, 'Timeline');
    const url = `/api/v1/incidents/${incident.number}/timeline`;
    const posted: TimelineEvent[] = [];
    for (let i = 0; i < 5; i++) {
      posted.push(await expectJson<TimelineEvent>(await request.post(url, { headers: as(priya), data: { body: `step ${i}` } }), 201));
    }
    expect(posted[0]).toMatchObject({ kind: 'note', body: 'step 0', actor: PRIYA, pinned: false, editedAt: null });
    expect(posted.map((e) => e.seq)).toEqual([...posted.map((e) => e.seq)].sort((a, b) => a - b));
    const backdated = await expectJson<TimelineEvent>(await request.post(url, { headers: as(priya), data: { body: 'it began', occurredAt: '2026-01-05T09:58:00Z', pinned: true } }), 201);
    expect(backdated).toMatchObject({ occurredAt: '2026-01-05T09:58:00.000Z', pinned: true });

    // Page through three at a time: strictly after `after`, in seq order, nextAfter null at the end.
    const seen: number[] = [];
    let after = 0;
    for (;;) {
      const page = await expectJson<{ items: TimelineEvent[]; nextAfter: number | null }>(await request.get(`${url}?after=${after}&limit=3`, { headers: as(viewer) }), 200);
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((e) => e.seq));
      if (page.nextAfter === null) break;
      expect(page.nextAfter).toBe(page.items.at(-1)!.seq);
      after = page.nextAfter;
    }
    expect(seen).toEqual(Array.from({ length: backdated.seq }, (_, i) => i + 1));
    expect(await expectJson(await request.get(`${url}?after=${backdated.seq}`, { headers: as(viewer) }), 200)).toEqual({ items: [], nextAfter: null });

    await expectProblem(await request.get(`${url}?limit=1001`, { headers: as(viewer) }), 422);
    await expectProblem(await request.get(`${url}?after=-1`, { headers: as(viewer) }), 422);
    expect((await expectProblem(await request.post(url, { headers: as(priya), data: { body: '   ' } }), 422)).errors).toEqual([{ path: 'body', message: 'Write the note' }]);
    expect((await expectProblem(await request.get(`/api/v1/incidents/${MISSING}/timeline`, { headers: as(viewer) }), 404)).detail).toBe(`INC-${MISSING} does not exist.`);
    await expectProblem(await request.post(`/api/v1/incidents/${MISSING}/timeline`, { headers: as(priya), data: { body: 'hello' } }), 404);
  });

  test('PATCH edits a note (200) and keeps the previous text in its history; other events can only be pinned', async ({ request }) => {
    const incident = await declare(request, 'Edits');
    const url = `/api/v1/incidents/${incident.number}/timeline`;
    const note = await expectJson<TimelineEvent>(await request.post(url, { headers: as(priya), data: { body: 'Rolled back to 3.2.0' } }), 201);

    // Sam may pin Priya's note, not put words in her mouth.
    const refusedEdit = await expectProblem(await request.patch(`${url}/${note.id}`, { headers: as(sam), data: { body: 'Rolled back to 9.9.9' } }), 403);
    expect(refusedEdit.detail).toBe('Only the note’s author, the Incident Commander or an admin can change what it says; you can pin or unpin it.');
    expect((await expectJson<TimelineEvent>(await request.patch(`${url}/${note.id}`, { headers: as(sam), data: { pinned: true } }), 200)).pinned).toBe(true);
    const edited = await expectJson<TimelineEvent>(await request.patch(`${url}/${note.id}`, { headers: as(priya), data: { body: 'Rolled back to 3.2.1' } }), 200);
    expect(edited).toMatchObject({ id: note.id, seq: note.seq, body: 'Rolled back to 3.2.1', actor: PRIYA, editedBy: PRIYA });
    expect(edited.editedAt).not.toBeNull();
    const revisions = await expectJson<{ items: { body: string; editedBy: { email: string } | null }[] }>(await request.get(`${url}/${note.id}/revisions`, { headers: as(viewer) }), 200);
    expect(revisions.items[0]).toMatchObject({ body: 'Rolled back to 3.2.0', editedBy: { email: PRIYA.email } });
    // The edit changed the event in place: the timeline still holds it once, at its seq.
    expect((await timeline(request, incident.number)).filter((e) => e.id === note.id)).toMatchObject([{ seq: note.seq, body: 'Rolled back to 3.2.1' }]);

    const declared = (await timeline(request, incident.number)).find((e) => e.kind === 'system')!;
    expect((await expectJson<TimelineEvent>(await request.patch(`${url}/${declared.id}`, { headers: as(priya), data: { pinned: false } }), 200)).pinned).toBe(false);
    const refused = await expectProblem(await request.patch(`${url}/${declared.id}`, { headers: as(priya), data: { body: 'rewritten history' } }), 409);
    expect(refused.detail).toBe('Only notes can be edited; this is a system event. You can pin or unpin it.');

    await expectProblem(await request.patch(`${url}/${note.id}`, { headers: as(priya), data: {} }), 422);
    await expectProblem(await request.patch(`${url}/00000000-0000-4000-8000-000000000000`, { headers: as(priya), data: { pinned: true } }), 404);
    await expectProblem(await request.patch(`${url}/not-an-id`, { headers: as(priya), data: { pinned: true } }), 404);
    const other = await declare(request, 'Other');
    await expectProblem(await request.patch(`/api/v1/incidents/${other.number}/timeline/${note.id}`, { headers: as(priya), data: { pinned: true } }), 404);
    await expectProblem(
      await request.patch(`${url}/${note.id}`, { headers: as(priya, { 'content-type': 'application/json' }), data: Buffer.from('{"body": ') }),
      400,
    );
  });
});

test.describe('authorisation', () => {
  test('a viewer reads but every write answers 403 and writes nothing; no token is 401', async ({ request }) => {
    const incident = await declare(request, 'Read only');
    const note = await expectJson<TimelineEvent>(await request.post(`/api/v1/incidents/${incident.number}/timeline`, { headers: as(priya), data: { body: 'hello' } }), 201);
    const counts = () =>
      withDb(async (client) => (await client.query('SELECT (SELECT count(*) FROM incidents) AS incidents, (SELECT count(*) FROM timeline_events) AS events, (SELECT sum(version) FROM incidents) AS versions, (SELECT count(*) FROM incident_smes) AS smes')).rows[0] as Record<string, string>);

    await expectJson(await request.get(`/api/v1/incidents/${incident.number}`, { headers: as(viewer) }), 200);
    await expectJson(await request.get(`/api/v1/incidents/${incident.number}/timeline`, { headers: as(viewer) }), 200);

    const before = await counts();
    const base = `/api/v1/incidents/${incident.number}`;
    const writes: [string, string, unknown][] = [
      ['POST', '/api/v1/incidents', { title: 'Viewer incident', severity: 'SEV1' }],
      ['PATCH', base, { status: 'resolved' }],
      ['POST', `${base}/acknowledge`, undefined],
      ['PATCH', `${base}/times`, { field: 'startedAt', value: null, reason: 'because' }],
      ['PUT', `${base}/roles/scribe`, { email: VIEWER.email }],
      ['DELETE', `${base}/roles/commander`, undefined],
      ['POST', `${base}/smes`, { email: VIEWER.email }],
      ['DELETE', `${base}/smes/${encodeURIComponent(PRIYA.email)}`, undefined],
      ['POST', `${base}/timeline`, { body: 'viewer note' }],
      ['PATCH', `${base}/timeline/${note.id}`, { body: 'viewer edit' }],
    ];
    for (const [method, url, data] of writes) {
      const response = await request.fetch(url, { method, headers: as(viewer), ...(data === undefined ? {} : { data }) });
      const problem = await expectProblem(response, 403);
      expect(problem.detail, `${method} ${url}`).toBe('This needs the responder role; your role is viewer.');
    }
    const anonymous = await expectProblem(await request.post('/api/v1/incidents', { data: { title: 'Anonymous', severity: 'SEV1' } }), 401);
    expect(anonymous.detail).toContain('Authorization: Bearer');
    expect(await counts()).toEqual(before);
  });

  test('the OpenAPI document describes every incidents, roles and timeline route', async ({ request }) => {
    const document = await expectJson<{ paths: Record<string, Record<string, unknown>> }>(await request.get('/api/v1/openapi.json'), 200);
    const routes = Object.entries(document.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`));
    expect(routes).toEqual(
      expect.arrayContaining([
        'POST /api/v1/incidents',
        'GET /api/v1/incidents',
        'GET /api/v1/incidents/{number}',
        'PATCH /api/v1/incidents/{number}',
        'POST /api/v1/incidents/{number}/acknowledge',
        'PATCH /api/v1/incidents/{number}/times',
        'PUT /api/v1/incidents/{number}/roles/{role}',
        'DELETE /api/v1/incidents/{number}/roles/{role}',
        'POST /api/v1/incidents/{number}/smes',
        'DELETE /api/v1/incidents/{number}/smes/{email}',
        'GET /api/v1/incidents/{number}/timeline',
        'POST /api/v1/incidents/{number}/timeline',
        'PATCH /api/v1/incidents/{number}/timeline/{id}',
        'GET /api/v1/incidents/{number}/timeline/{id}/revisions',
        'GET /api/v1/severities',
      ]),
    );
  });
});

test.describe('stream', () => {
  test('replays exactly what a reconnecting client missed, then goes live', async ({ request, baseURL }) => {
    const { number } = await declare(request, 'Stream');
    const posted: number[] = [];
    for (const body of ['one', 'two', 'three']) {
      posted.push((await expectJson<TimelineEvent>(await request.post(`/api/v1/incidents/${number}/timeline`, { headers: as(priya), data: { body } }), 201)).seq);
    }

    const controller = new AbortController();
    const response = await fetch(`${baseURL}/api/v1/incidents/${number}/stream`, { headers: as(priya, { 'last-event-id': String(posted[0]) }), signal: controller.signal });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    const frames: { id?: string; event?: string; data?: { seq: number; body: string } }[] = [];
    const readUntil = async (predicate: () => boolean) => {
      const deadline = Date.now() + 5_000;
      while (!predicate() && Date.now() < deadline) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = Object.fromEntries(
            frame
              .split('\n')
              .filter((line) => !line.startsWith(':') && line.includes(': '))
              .map((line) => [line.slice(0, line.indexOf(': ')), line.slice(line.indexOf(': ') + 2)]),
          );
          if (fields.event) frames.push({ id: fields.id, event: fields.event, data: fields.data ? JSON.parse(fields.data) : undefined });
        }
      }
    };
    try {
      await readUntil(() => frames.length >= 2);
      expect(frames.map((f) => [f.id, f.event, f.data?.body])).toEqual([
        [String(posted[1]), 'timeline', 'two'],
        [String(posted[2]), 'timeline', 'three'],
      ]);
      const live = await expectJson<TimelineEvent>(await request.post(`/api/v1/incidents/${number}/timeline`, { headers: as(priya), data: { body: 'four' } }), 201);
      await expectJson(await request.patch(`/api/v1/incidents/${number}/timeline/${live.id}`, { headers: as(priya), data: { pinned: true } }), 200);
      await readUntil(() => frames.length >= 4);
      expect(frames[2]).toMatchObject({ id: String(live.seq), event: 'timeline', data: { body: 'four' } });
      expect(frames[3]).toMatchObject({ id: undefined, event: 'timeline.updated', data: { seq: live.seq, pinned: true } });
    } finally {
      controller.abort();
    }
  });
});
