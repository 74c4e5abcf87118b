// The on-call API as API.md writes it, through the real route handlers on a real PostgreSQL:
// schedules (validation naming every field, If-Match, 409 while a policy pages one), shifts and
// who is on call, overrides and who may make them, calendar feeds by token and by secret key,
// contact methods (hint only, signing secret once, destination guard), policies, and pages with
// their 409s.
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { GET as getCalendarFeedUser } from '@/app/api/v1/users/[id]/calendar.ics/route';
import { GET as getContactMethods, POST as postContactMethod } from '@/app/api/v1/users/[id]/contact-methods/route';
import { POST as postCalendarFeed } from '@/app/api/v1/calendar-feeds/route';
import { GET as getSchedules, POST as postSchedule } from '@/app/api/v1/schedules/route';
import { DELETE as deleteSchedule, GET as getSchedule, PUT as putSchedule } from '@/app/api/v1/schedules/[id]/route';
import { GET as getOnCall } from '@/app/api/v1/schedules/[id]/oncall/route';
import { GET as getShifts } from '@/app/api/v1/schedules/[id]/shifts/route';
import { POST as postOverride } from '@/app/api/v1/schedules/[id]/overrides/route';
import { GET as getScheduleCalendar } from '@/app/api/v1/schedules/[id]/calendar.ics/route';
import { POST as postPolicy } from '@/app/api/v1/escalation-policies/route';
import { POST as postPage } from '@/app/api/v1/pages/route';
import { POST as postEscalate } from '@/app/api/v1/pages/[id]/escalate/route';
import { POST as postResolve } from '@/app/api/v1/pages/[id]/resolve/route';
import { POST as postAcknowledge } from '@/app/api/v1/pages/[id]/acknowledge/route';
import { POST as postIncidentPage } from '@/app/api/v1/incidents/[number]/pages/route';
import { GET as getOnCallEverywhere } from '@/app/api/v1/oncall/route';
import { db } from '@/lib/platform/db';
import { stopQueue } from '@/lib/platform/delivery/queue';
import { createApiToken } from '@/lib/tokens/service';
import { createUser } from '@/lib/users/service';

vi.hoisted(() => {
  process.env.SITREP_URL = 'http://sitrep.test';
});

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

function call(handler: Handler, token: string | null, init: { method?: string; path: string; body?: unknown; headers?: Record<string, string>; params?: Record<string, string> }) {
  return handler(
    new Request(`http://sitrep.test${init.path}`, {
      method: init.method ?? 'GET',
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...init.headers },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    }),
    { params: Promise.resolve(init.params ?? {}) },
  );
}

let admin: string;
let responder: string;
let viewer: string;

beforeAll(async () => {
  await db.$executeRawUnsafe('TRUNCATE users, incidents, audit_logs, schedules, escalation_policies, pages CASCADE');
  for (const [email, name, role] of [
    ['ada@example.com', 'Ada Admin', 'admin'],
    ['rui@example.com', 'Rui Responder', 'responder'],
    ['sam@example.com', 'Sam Second', 'responder'],
    ['vic@example.com', 'Vic Viewer', 'viewer'],
  ] as const) {
    await createUser({ email, name, role }, { actor: null });
  }
  admin = (await createApiToken({ email: 'ada@example.com', name: 'test' }, { actor: null })).token;
  responder = (await createApiToken({ email: 'rui@example.com', name: 'test' }, { actor: null })).token;
  viewer = (await createApiToken({ email: 'vic@example.com', name: 'test' }, { actor: null })).token;
});

afterAll(async () => {
  await stopQueue();
  await db.$disconnect();
});

const layer = { name: 'Primary', participants: ['rui@example.com', 'sam@example.com'], rotation: 'daily', handoffTime: '09:00', startDate: '2026-03-01' };

describe('schedules', () => {
  it('creates, reads, replaces with If-Match and answers shifts and who is on call, across DST', async () => {
    const bad = await call(postSchedule, admin, { method: 'POST', path: '/api/v1/schedules', body: { name: 'X', timeZone: 'Berlin', layers: [{ ...layer, participants: ['nobody@example.com'], handoffTime: '25:00', handoffDay: 'monday' }] } });
    expect(bad.status).toBe(422);
    const problem = await bad.json();
    expect(problem.errors.map((e: { path: string }) => e.path).sort()).toEqual(['layers.0.handoffDay', 'layers.0.handoffTime', 'name', 'timeZone']);
    expect(problem.errors.find((e: { path: string }) => e.path === 'timeZone').message).toBe('Berlin is not a time zone; use an IANA name such as Europe/Berlin');
    const unknown = await call(postSchedule, admin, { method: 'POST', path: '/api/v1/schedules', body: { name: 'Unknown people', timeZone: 'UTC', layers: [{ ...layer, participants: ['nobody@example.com', 'rui@example.com'] }] } });
    expect(await unknown.json()).toMatchObject({ status: 422, errors: [{ path: 'layers.0.participants.0', message: 'No user has the e-mail nobody@example.com; add them in Settings → Users first' }] });
    expect((await call(postSchedule, responder, { method: 'POST', path: '/api/v1/schedules', body: {} })).status).toBe(403);

    const created = await call(postSchedule, admin, { method: 'POST', path: '/api/v1/schedules', body: { name: 'Platform', timeZone: 'europe/berlin', layers: [layer] } });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"1"');
    const schedule = await created.json();
    expect(schedule).toMatchObject({ name: 'Platform', timeZone: 'Europe/Berlin', version: 1, layers: [{ participants: ['rui@example.com', 'sam@example.com'], rotation: 'daily', restrictions: [] }] });
    const params = { id: schedule.id };
    expect((await (await call(getSchedules, viewer, { path: '/api/v1/schedules' })).json()).items).toHaveLength(1);

    // The spring-forward night in Berlin (29 March 2026): the 09:00 hand-off stays 09:00 local.
    const shifts = await (await call(getShifts, viewer, { path: `/api/v1/schedules/${schedule.id}/shifts?from=2026-03-28T00:00:00Z&to=2026-03-31T00:00:00Z`, params })).json();
    expect(shifts.items.map((s: { start: string }) => s.start)).toEqual(['2026-03-27T08:00:00.000Z', '2026-03-28T08:00:00.000Z', '2026-03-29T07:00:00.000Z', '2026-03-30T07:00:00.000Z']);
    expect(shifts.items[0]).toMatchObject({ email: 'rui@example.com', source: 'layer', layer: 0 });
    const tooLong = await call(getShifts, viewer, { path: `/api/v1/schedules/${schedule.id}/shifts?from=2026-01-01T00:00:00Z&to=2026-06-01T00:00:00Z`, params });
    expect(await tooLong.json()).toMatchObject({ status: 422, errors: [{ path: 'query.to', message: 'Ask for at most 90 days of shifts at a time' }] });

    const onCall = await (await call(getOnCall, viewer, { path: `/api/v1/schedules/${schedule.id}/oncall?at=2026-03-29T06:59:00Z`, params })).json();
    expect(onCall).toEqual({ at: '2026-03-29T06:59:00.000Z', users: [{ email: 'sam@example.com', name: 'Sam Second' }], until: '2026-03-29T07:00:00.000Z' });

    // A stale If-Match is refused; the current one saves.
    const replaced = { name: 'Platform on-call', timeZone: 'Europe/Berlin', layers: [layer, { ...layer, name: 'Business hours', participants: ['ada@example.com'], restrictions: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' }] }] };
    expect((await call(putSchedule, admin, { method: 'PUT', path: `/api/v1/schedules/${schedule.id}`, params, body: replaced, headers: { 'if-match': '"7"' } })).status).toBe(412);
    const saved = await call(putSchedule, admin, { method: 'PUT', path: `/api/v1/schedules/${schedule.id}`, params, body: replaced, headers: { 'if-match': '"1"' } });
    expect(saved.status).toBe(200);
    expect(saved.headers.get('etag')).toBe('"2"');
    expect((await (await call(getSchedule, viewer, { path: `/api/v1/schedules/${schedule.id}`, params })).json()).layers).toHaveLength(2);

    // Every schedule at once.
    const everywhere = await (await call(getOnCallEverywhere, viewer, { path: '/api/v1/oncall' })).json();
    expect(everywhere.items[0]).toMatchObject({ schedule: { id: schedule.id, name: 'Platform on-call', timeZone: 'Europe/Berlin' } });
  });

  it('takes overrides (responders for themselves only), serves calendar feeds by token and by secret key, and refuses deleting a schedule a policy pages', async () => {
    const schedule = await (await call(postSchedule, admin, { method: 'POST', path: '/api/v1/schedules', body: { name: 'Weekend', timeZone: 'UTC', layers: [{ ...layer, participants: ['sam@example.com'] }] } })).json();
    const params = { id: schedule.id };
    const start = new Date(Date.now() + 3_600_000).toISOString();
    const end = new Date(Date.now() + 5 * 3_600_000).toISOString();
    const forSomeoneElse = await call(postOverride, responder, { method: 'POST', path: `/api/v1/schedules/${schedule.id}/overrides`, params, body: { email: 'sam@example.com', start, end } });
    expect(forSomeoneElse.status).toBe(403);
    const backwards = await call(postOverride, responder, { method: 'POST', path: `/api/v1/schedules/${schedule.id}/overrides`, params, body: { email: 'rui@example.com', start: end, end: start } });
    expect((await backwards.json()).errors[0].path).toBe('end');
    const taken = await call(postOverride, responder, { method: 'POST', path: `/api/v1/schedules/${schedule.id}/overrides`, params, body: { email: 'rui@example.com', start, end } });
    expect(taken.status).toBe(201);
    expect(await taken.json()).toMatchObject({ email: 'rui@example.com', start: new Date(start).toISOString(), createdBy: { email: 'rui@example.com' } });

    const byToken = await call(getScheduleCalendar, viewer, { path: `/api/v1/schedules/${schedule.id}/calendar.ics`, params });
    expect(byToken.status).toBe(200);
    expect(byToken.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const calendar = new ICAL.Component(ICAL.parse(await byToken.text()));
    const summaries = calendar.getAllSubcomponents('vevent').map((event) => String(event.getFirstPropertyValue('summary')));
    expect(summaries).toContain('On call: Rui Responder (override)');

    // A feed's secret URL works without a token, for its own schedule only; rotating it retires the old one.
    const feedResponse = await call(postCalendarFeed, responder, { method: 'POST', path: '/api/v1/calendar-feeds', body: { scheduleId: schedule.id } });
    expect(feedResponse.status).toBe(201);
    const feed = await feedResponse.json();
    const key = new URL(feed.url).searchParams.get('key')!;
    expect(feed.url).toBe(`http://sitrep.test/api/v1/schedules/${schedule.id}/calendar.ics?key=${key}`);
    expect((await call(postCalendarFeed, responder, { method: 'POST', path: '/api/v1/calendar-feeds', body: { scheduleId: schedule.id } })).status).toBe(200);
    expect((await call(getScheduleCalendar, null, { path: `/api/v1/schedules/${schedule.id}/calendar.ics?key=${key}`, params })).status).toBe(200);
    // (Without any key, an anonymous request is refused like every route: tests/e2e/authorization.spec.ts.)
    expect((await call(getScheduleCalendar, null, { path: `/api/v1/schedules/${schedule.id}/calendar.ics?key=${'x'.repeat(43)}`, params })).status).toBe(401);
    const other = (await db.schedule.findFirstOrThrow({ where: { name: { not: 'Weekend' } } })).id;
    expect((await call(getScheduleCalendar, null, { path: `/api/v1/schedules/${other}/calendar.ics?key=${key}`, params: { id: other } })).status).toBe(401);
    const rotated = await (await call(postCalendarFeed, responder, { method: 'POST', path: '/api/v1/calendar-feeds', body: { scheduleId: schedule.id, rotate: true } })).json();
    expect(rotated.url).not.toBe(feed.url);
    expect((await call(getScheduleCalendar, null, { path: `/api/v1/schedules/${schedule.id}/calendar.ics?key=${key}`, params })).status).toBe(401);
    expect(await db.calendarFeed.count({ where: { keyHash: key } })).toBe(0); // only hashes are stored

    // A person's own feed: their shifts across schedules.
    const mine = await (await call(postCalendarFeed, responder, { method: 'POST', path: '/api/v1/calendar-feeds', body: {} })).json();
    const userId = new URL(mine.url).pathname.split('/')[4]!;
    const personal = await call(getCalendarFeedUser, null, { path: new URL(mine.url).pathname + new URL(mine.url).search, params: { id: userId } });
    expect(personal.status).toBe(200);
    expect(await personal.text()).toContain('SUMMARY:On call: Weekend (override)');

    const policy = await call(postPolicy, admin, { method: 'POST', path: '/api/v1/escalation-policies', body: { name: 'Weekend escalation', levels: [{ delaySeconds: 300, targets: [{ schedule: schedule.id }] }, { delaySeconds: 600, targets: [{ user: 'ada@example.com' }] }] } });
    expect(policy.status).toBe(201);
    const refused = await call(deleteSchedule, admin, { method: 'DELETE', path: `/api/v1/schedules/${schedule.id}`, params });
    expect(refused.status).toBe(409);
    expect((await refused.json()).detail).toBe('“Weekend” is paged by “Weekend escalation”; remove it from that policy first.');
  });
});

describe('contact methods', () => {
  it('never answer the target, give the signing secret once, and refuse internal addresses', async () => {
    const hook = await call(postContactMethod, responder, { method: 'POST', path: '/api/v1/users/me/contact-methods', params: { id: 'me' }, body: { kind: 'webhook', target: 'http://localhost:9/sms/s3cr3t-path', delaySeconds: 60, label: 'SMS' } });
    expect(hook.status).toBe(201);
    const created = await hook.json();
    expect(created).toMatchObject({ kind: 'webhook', hint: 'localhost:9/…path', delaySeconds: 60, label: 'SMS', signingSecret: expect.stringMatching(/^whsec_/) });
    const listed = await (await call(getContactMethods, responder, { path: '/api/v1/users/rui@example.com/contact-methods', params: { id: 'rui@example.com' } })).json();
    expect(JSON.stringify(listed)).not.toContain('s3cr3t');
    expect(JSON.stringify(listed)).not.toContain('whsec_');
    expect(listed.items[0]).toMatchObject({ id: created.id, working: true, lastResult: null });

    const internal = await call(postContactMethod, responder, { method: 'POST', path: '/api/v1/users/me/contact-methods', params: { id: 'me' }, body: { kind: 'ntfy', target: 'http://10.1.2.3/topic' } });
    expect(internal.status).toBe(422);
    expect((await internal.json()).errors[0]).toMatchObject({ path: 'target', message: expect.stringMatching(/^10\.1\.2\.3 is a private \(RFC 1918\) address/) });
    const wrong = await call(postContactMethod, responder, { method: 'POST', path: '/api/v1/users/me/contact-methods', params: { id: 'me' }, body: { kind: 'email', target: 'not-an-address', delaySeconds: 99_999 } });
    expect((await wrong.json()).errors.map((e: { path: string }) => e.path).sort()).toEqual(['delaySeconds', 'target']);
    // Someone else's: only admins.
    expect((await call(postContactMethod, responder, { method: 'POST', path: '/api/v1/users/sam@example.com/contact-methods', params: { id: 'sam@example.com' }, body: { kind: 'email', target: 'sam@example.com' } })).status).toBe(403);
    expect((await call(getContactMethods, responder, { path: '/api/v1/users/sam@example.com/contact-methods', params: { id: 'sam@example.com' } })).status).toBe(403);
    expect((await call(postContactMethod, admin, { method: 'POST', path: '/api/v1/users/sam@example.com/contact-methods', params: { id: 'sam@example.com' }, body: { kind: 'email', target: 'sam@example.com' } })).status).toBe(201);
    expect((await call(getContactMethods, viewer, { path: '/api/v1/users/nobody@example.com/contact-methods', params: { id: 'nobody@example.com' } })).status).toBe(404);
  });
});

describe('pages', () => {
  it('triggers for a person or from an incident, and answers 409 when escalating or resolving what ended', async () => {
    const missing = await call(postPage, responder, { method: 'POST', path: '/api/v1/pages', body: { title: 'x', target: { user: 'nobody@example.com', policy: 'x' } } });
    expect(missing.status).toBe(422);
    expect((await missing.json()).errors.map((e: { path: string }) => e.path).sort()).toEqual(['target', 'title']);
    expect((await call(postPage, viewer, { method: 'POST', path: '/api/v1/pages', body: {} })).status).toBe(403);

    const created = await call(postPage, responder, { method: 'POST', path: '/api/v1/pages', body: { title: 'Disk almost full', target: { user: 'sam@example.com' } } });
    expect(created.status).toBe(201);
    const page = await created.json();
    expect(page).toMatchObject({ status: 'triggered', level: 1, levels: 1, incident: null, triggeredBy: { email: 'rui@example.com' }, target: { user: 'sam@example.com', name: 'Sam Second' }, notifications: [{ level: 1, user: { email: 'sam@example.com' }, kind: 'email', status: 'pending' }] });
    const params = { id: page.id };
    expect(await (await call(postEscalate, responder, { method: 'POST', path: `/api/v1/pages/${page.id}/escalate`, params })).json()).toMatchObject({ status: 409, detail: 'This page has a single level, so there is nothing to escalate to. Reassign it to page someone else.' });
    expect((await call(postAcknowledge, responder, { method: 'POST', path: `/api/v1/pages/${page.id}/acknowledge`, params })).status).toBe(200);
    expect((await call(postAcknowledge, admin, { method: 'POST', path: `/api/v1/pages/${page.id}/acknowledge`, params })).status).toBe(200);
    expect((await call(postResolve, responder, { method: 'POST', path: `/api/v1/pages/${page.id}/resolve`, params })).status).toBe(200);
    expect((await call(postResolve, responder, { method: 'POST', path: `/api/v1/pages/${page.id}/resolve`, params })).status).toBe(409);
    expect((await call(postAcknowledge, responder, { method: 'POST', path: `/api/v1/pages/${page.id}/acknowledge`, params })).status).toBe(409);
    expect((await call(postEscalate, responder, { method: 'POST', path: `/api/v1/pages/${page.id}/escalate`, params })).status).toBe(409);

    const declared = await db.incident.create({ data: { title: 'Checkout down', severityKey: 'SEV1' } });
    const fromIncident = await call(postIncidentPage, responder, { method: 'POST', path: `/api/v1/incidents/${declared.number}/pages`, params: { number: String(declared.number) }, body: { target: { user: 'sam@example.com' }, message: 'Need the DB expert' } });
    expect(fromIncident.status).toBe(201);
    expect(await fromIncident.json()).toMatchObject({ title: 'Checkout down', details: 'Need the DB expert', incident: { number: declared.number, key: `INC-${declared.number}` } });
    expect((await db.incident.findUniqueOrThrow({ where: { id: declared.id } })).pagedAt).not.toBeNull();
    expect((await call(postIncidentPage, responder, { method: 'POST', path: '/api/v1/incidents/999999/pages', params: { number: '999999' }, body: { target: { user: 'sam@example.com' } } })).status).toBe(404);
  });
});
