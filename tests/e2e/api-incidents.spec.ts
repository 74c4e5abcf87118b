// The incidents API as outside tools use it: API.md's paths, bodies and status codes.
import { expect, test } from '@playwright/test';
import { ADMIN, cliToken, VIEWER } from './support';

let admin: Record<string, string>;
let viewer: Record<string, string>;

test.beforeAll(() => {
  admin = { authorization: `Bearer ${cliToken(ADMIN.email)}` };
  viewer = { authorization: `Bearer ${cliToken(VIEWER.email)}` };
});

test('declare, read, change with If-Match, and the lifecycle rules', async ({ request }) => {
  const created = await request.post('/api/v1/incidents', { headers: admin, data: { title: 'API outage test', severity: 'SEV2', services: ['api'] } });
  expect(created.status()).toBe(201);
  const incident = await created.json();
  expect(incident).toMatchObject({ key: `INC-${incident.number}`, status: 'investigating', severity: 'SEV2', roles: { commander: { email: ADMIN.email } }, version: 1 });
  expect(created.headers().etag).toBe('"1"');

  const byKey = await request.get(`/api/v1/incidents/INC-${incident.number}`, { headers: admin });
  expect(byKey.status()).toBe(200);
  expect(byKey.headers().etag).toBe('"1"');

  const moved = await request.patch(`/api/v1/incidents/${incident.number}`, { headers: { ...admin, 'if-match': '"1"' }, data: { status: 'identified' } });
  expect(moved.status()).toBe(200);
  expect(moved.headers().etag).toBe('"2"');

  const stale = await request.patch(`/api/v1/incidents/${incident.number}`, { headers: { ...admin, 'if-match': '"1"' }, data: { status: 'monitoring' } });
  expect(stale.status()).toBe(412);
  expect((await stale.json()).detail).toMatch(/was changed by Alex Rivera/);

  const closing = await request.patch(`/api/v1/incidents/${incident.number}`, { headers: admin, data: { status: 'closed' } });
  expect(closing.status()).toBe(409);
  expect(closing.headers()['content-type']).toContain('application/problem+json');

  const same = await request.patch(`/api/v1/incidents/${incident.number}`, { headers: admin, data: { status: 'identified' } });
  expect(same.status()).toBe(200);
  expect((await same.json()).version).toBe(2);

  await request.patch(`/api/v1/incidents/${incident.number}`, { headers: admin, data: { status: 'resolved' } });
  const reopen = await request.patch(`/api/v1/incidents/${incident.number}`, { headers: admin, data: { status: 'investigating' } });
  expect(reopen.status()).toBe(422);
  expect((await reopen.json()).errors).toEqual([{ path: 'reason', message: expect.stringContaining('needs a reason') }]);

  const badSeverity = await request.post('/api/v1/incidents', { headers: admin, data: { title: 'Nope', severity: 'SEV5' } });
  expect(badSeverity.status()).toBe(422);
  expect((await badSeverity.json()).errors).toEqual([{ path: 'severity', message: 'SEV5 is not a severity; use SEV1–SEV4' }]);

  const malformed = await request.post('/api/v1/incidents', { headers: { ...admin, 'content-type': 'application/json' }, data: Buffer.from('{"title":') });
  expect(malformed.status()).toBe(400);

  expect((await request.get('/api/v1/incidents/999999', { headers: admin })).status()).toBe(404);
  expect((await request.post('/api/v1/incidents', { headers: viewer, data: { title: 'Viewer', severity: 'SEV3' } })).status()).toBe(403);
});

test('list with filters and cursors', async ({ request }) => {
  for (let i = 0; i < 3; i++) await request.post('/api/v1/incidents', { headers: admin, data: { title: `Paging ${i}`, severity: 'SEV4', services: ['paging-test'] } });
  const first = await request.get('/api/v1/incidents?service=paging-test&limit=2', { headers: admin });
  const page1 = await first.json();
  expect(page1.items).toHaveLength(2);
  expect(page1.nextCursor).toEqual(expect.any(String));
  const page2 = await (await request.get(`/api/v1/incidents?service=paging-test&limit=2&cursor=${page1.nextCursor}`, { headers: admin })).json();
  expect(page2.items).toHaveLength(1);
  expect(page2.nextCursor).toBeNull();
  expect(page2.items[0].number).toBeLessThan(page1.items[1].number);
  const open = await (await request.get('/api/v1/incidents?status=open&severity=SEV4', { headers: admin })).json();
  expect(open.items.every((i: { status: string; severity: string }) => !['resolved', 'closed'].includes(i.status) && i.severity === 'SEV4')).toBe(true);
  expect((await request.get('/api/v1/incidents?limit=500', { headers: admin })).status()).toBe(422);
});

test('roles, experts, notes with history, and the timeline after a seq', async ({ request }) => {
  const { number } = await (await request.post('/api/v1/incidents', { headers: admin, data: { title: 'Roles test', severity: 'SEV3' } })).json();
  const handoff = await request.put(`/api/v1/incidents/${number}/roles/commander`, { headers: admin, data: { email: 'priya@sitrep.local' } });
  expect(handoff.status()).toBe(200);
  expect((await handoff.json()).roles.commander.email).toBe('priya@sitrep.local');
  expect((await request.put(`/api/v1/incidents/${number}/roles/captain`, { headers: admin, data: { email: 'priya@sitrep.local' } })).status()).toBe(404);
  const sme = await request.post(`/api/v1/incidents/${number}/smes`, { headers: admin, data: { email: 'sam@sitrep.local' } });
  expect((await sme.json()).smes).toEqual([{ email: 'sam@sitrep.local', name: 'Sam Okafor' }]);
  const removed = await request.delete(`/api/v1/incidents/${number}/smes/${encodeURIComponent('sam@sitrep.local')}`, { headers: admin });
  expect((await removed.json()).smes).toEqual([]);
  const unassigned = await request.delete(`/api/v1/incidents/${number}/roles/commander`, { headers: admin });
  expect((await unassigned.json()).roles.commander).toBeNull();

  const note = await request.post(`/api/v1/incidents/${number}/timeline`, { headers: admin, data: { body: 'first text', occurredAt: '2026-11-22T14:02:00Z', pinned: true } });
  expect(note.status()).toBe(201);
  const event = await note.json();
  expect(event).toMatchObject({ kind: 'note', occurredAt: '2026-11-22T14:02:00.000Z', pinned: true, actor: { email: ADMIN.email } });
  const edited = await request.patch(`/api/v1/incidents/${number}/timeline/${event.id}`, { headers: admin, data: { body: 'second text' } });
  expect((await edited.json()).editedAt).not.toBeNull();
  const history = await (await request.get(`/api/v1/incidents/${number}/timeline/${event.id}/revisions`, { headers: admin })).json();
  expect(history.items.map((r: { body: string }) => r.body)).toEqual(['first text']);

  const all = await (await request.get(`/api/v1/incidents/${number}/timeline`, { headers: admin })).json();
  const seqs = all.items.map((e: { seq: number }) => e.seq);
  expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  expect(all.nextAfter).toBeNull();
  const after = await (await request.get(`/api/v1/incidents/${number}/timeline?after=${seqs[1]}&limit=2`, { headers: admin })).json();
  expect(after.items.map((e: { seq: number }) => e.seq)).toEqual(seqs.slice(2, 4));
  expect(after.nextAfter).toBe(seqs[3]);
});

test('the stream replays exactly what a reconnecting client missed, then goes live', async ({ request, baseURL }) => {
  const { number } = await (await request.post('/api/v1/incidents', { headers: admin, data: { title: 'Stream test', severity: 'SEV4' } })).json();
  const posted: number[] = [];
  for (const body of ['one', 'two', 'three']) posted.push((await (await request.post(`/api/v1/incidents/${number}/timeline`, { headers: admin, data: { body } })).json()).seq);

  const controller = new AbortController();
  const response = await fetch(`${baseURL}/api/v1/incidents/${number}/stream`, { headers: { ...admin, 'last-event-id': String(posted[0]) }, signal: controller.signal });
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
        const fields = Object.fromEntries(frame.split('\n').filter((l) => !l.startsWith(':') && l.includes(': ')).map((l) => [l.slice(0, l.indexOf(': ')), l.slice(l.indexOf(': ') + 2)]));
        if (fields.event) frames.push({ id: fields.id, event: fields.event, data: fields.data ? JSON.parse(fields.data) : undefined });
      }
    }
  };
  await readUntil(() => frames.length >= 2);
  expect(frames.map((f) => [f.id, f.event, f.data?.body])).toEqual([
    [String(posted[1]), 'timeline', 'two'],
    [String(posted[2]), 'timeline', 'three'],
  ]);
  const live = await (await request.post(`/api/v1/incidents/${number}/timeline`, { headers: admin, data: { body: 'four' } })).json();
  await request.patch(`/api/v1/incidents/${number}/timeline/${live.id}`, { headers: admin, data: { pinned: true } });
  await readUntil(() => frames.length >= 4);
  expect(frames[2]).toMatchObject({ id: String(live.seq), event: 'timeline', data: { body: 'four' } });
  expect(frames[3]).toMatchObject({ id: undefined, event: 'timeline.updated', data: { seq: live.seq, pinned: true } });
  controller.abort();
});
