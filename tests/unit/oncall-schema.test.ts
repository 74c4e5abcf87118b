import { describe, expect, it } from 'vitest';
import { fieldErrorsFromZod, parseInput, ValidationError } from '@/lib/platform/errors';
import {
  contactMethodInputSchema,
  incidentPageInputSchema,
  overrideInputSchema,
  pageInputSchema,
  policyInputSchema,
  scheduleInputSchema,
  shiftsQuerySchema,
  suggestTimeZone,
  timeZoneSchema,
} from '@/lib/oncall/schema';
import type { z } from 'zod';

/** {path: message} of every problem, as the API and the forms show them. */
function problems(schema: z.ZodType, input: unknown): Record<string, string> {
  const result = schema.safeParse(input);
  if (result.success) throw new Error(`expected ${JSON.stringify(input)} to be refused`);
  return Object.fromEntries(fieldErrorsFromZod(result.error).map((error) => [error.path, error.message]));
}

const layer = { participants: ['ana@example.com'], rotation: 'daily', handoffTime: '09:00', startDate: '2026-12-07' };

describe('schedules', () => {
  it('names the zone that is not one, with a real one to use instead', () => {
    expect(problems(timeZoneSchema, 'Europe/Berln')).toEqual({ '': 'Europe/Berln is not a time zone; use an IANA name such as Europe/Berlin' });
    expect(problems(timeZoneSchema, 'new york')).toEqual({ '': 'new york is not a time zone; use an IANA name such as America/New_York' });
    expect(problems(timeZoneSchema, '+01:00')['']).toMatch(/^\+01:00 is not a time zone; use an IANA name/);
    expect(suggestTimeZone('Tokyo')).toBe('Asia/Tokyo');
  });

  it('accepts IANA names in any case and stores the canonical spelling', () => {
    expect(timeZoneSchema.parse('europe/berlin')).toBe('Europe/Berlin');
    expect(timeZoneSchema.parse('UTC')).toBe('UTC');
    expect(timeZoneSchema.parse(' Australia/Sydney ')).toBe('Australia/Sydney');
  });

  it('reports every invalid field of every layer at once', () => {
    expect(
      problems(scheduleInputSchema, {
        name: '',
        timeZone: 'Mars/Olympus_Mons',
        layers: [
          {
            participants: ['ana@example.com', 'not-an-address'],
            rotation: 'daily',
            handoffDay: 'friday',
            handoffTime: '9:0',
            startDate: '2027-02-29',
            restrictions: [{ days: ['mon', 'funday'], from: '09:00', to: '09:00' }],
          },
          { participants: [], rotation: { hours: 0 }, handoffTime: '25:00', startDate: '07.12.2026' },
          { participants: ['ana@example.com'], rotation: 'fortnightly', handoffTime: '09:00', startDate: '2026-12-07' },
        ],
      }),
    ).toEqual({
      name: 'Give the schedule a name, e.g. Platform on-call',
      timeZone: 'Mars/Olympus_Mons is not a time zone; use an IANA name such as Europe/Berlin',
      'layers.0.participants.1': 'Enter a valid email address, like ana@example.com',
      'layers.0.handoffTime': '9:0 is not a time of day; write the hand-off time as HH:MM on a 24-hour clock, e.g. 09:00',
      'layers.0.handoffDay': 'A hand-off day applies to weekly rotations only; leave it out, or make the rotation weekly',
      'layers.0.startDate': '2027-02-29 is not a day of the calendar; check the month and the day (YYYY-MM-DD)',
      'layers.0.restrictions.0.days.1': 'funday is not a day; use mon, tue, wed, thu, fri, sat or sun',
      'layers.0.restrictions.0.to': 'The window 09:00–09:00 is empty; for whole days write from 00:00 to 24:00',
      'layers.1.participants': 'Add at least one participant (by e-mail) to the rotation',
      'layers.1.rotation.hours': 'A shift is a whole number of hours from 1 to 744, e.g. {"hours": 8}',
      'layers.1.handoffTime': '25:00 is not a time of day; write the hand-off time as HH:MM on a 24-hour clock, e.g. 09:00',
      'layers.1.startDate': '07.12.2026 is not a date; write it as YYYY-MM-DD, e.g. 2026-12-07',
      'layers.2.rotation': 'fortnightly is not a rotation. The rotation is "daily", "weekly" or {"hours": n}, e.g. {"hours": 8} for three shifts a day',
    });
  });

  it('tidies what people type: 9:00, Fri, mixed-case addresses, days in any order', () => {
    const parsed = scheduleInputSchema.parse({
      name: ' Platform on-call ',
      timeZone: 'Europe/Berlin',
      layers: [
        {
          name: 'Primary',
          participants: ['Ana@Example.com'],
          rotation: 'weekly',
          handoffDay: 'Fri',
          handoffTime: '9:00',
          startDate: '2028-02-29',
          restrictions: [{ days: ['fri', 'Monday', 'mon'], from: '17:00', to: '24:00' }],
        },
      ],
    });
    expect(parsed).toEqual({
      name: 'Platform on-call',
      timeZone: 'Europe/Berlin',
      layers: [
        {
          name: 'Primary',
          participants: ['ana@example.com'],
          rotation: 'weekly',
          handoffDay: 'friday',
          handoffTime: '09:00',
          startDate: '2028-02-29',
          restrictions: [{ days: ['mon', 'fri'], from: '17:00', to: '24:00' }],
        },
      ],
    });
  });

  it('needs at least one layer, and says so', () => {
    expect(problems(scheduleInputSchema, { name: 'Platform', timeZone: 'UTC', layers: [] })).toEqual({ layers: 'Add at least one layer (a rotation of participants)' });
    expect(scheduleInputSchema.parse({ name: 'Platform', timeZone: 'UTC', layers: [layer] }).layers[0]!.restrictions).toEqual([]);
  });

  it('surfaces as one ValidationError listing each field, as the API answers it', () => {
    try {
      parseInput(scheduleInputSchema, { name: 'Platform', timeZone: 'Europe/Berln', layers: [{ ...layer, handoffTime: '9.00' }] });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).errors.map((e) => e.path)).toEqual(['timeZone', 'layers.0.handoffTime']);
    }
  });
});

describe('overrides and shift ranges', () => {
  it('refuses an override that ends before it starts, together with other mistakes', () => {
    expect(problems(overrideInputSchema, { email: 'nope', start: '2026-12-11T18:00:00+01:00', end: '2026-12-11T14:00:00+01:00' })).toEqual({
      email: 'Enter a valid email address, like ana@example.com',
      end: 'The override ends (2026-12-11T14:00:00+01:00) before it starts (2026-12-11T18:00:00+01:00); the end comes after the start',
    });
    expect(problems(overrideInputSchema, { email: 'ana@example.com', start: 'Friday 2pm', end: '2026-12-11T18:00:00Z' })).toEqual({
      start: 'Write the start as an ISO-8601 time, e.g. 2026-12-11T14:00:00+01:00',
    });
    expect(overrideInputSchema.parse({ email: 'Ana@example.com', start: '2026-12-11T14:00:00+01:00', end: '2026-12-11T18:00:00+01:00' }).email).toBe('ana@example.com');
  });

  it('asks for at most 90 days of shifts', () => {
    expect(problems(shiftsQuerySchema, { from: '2026-01-01T00:00:00Z', to: '2026-06-01T00:00:00Z' })).toEqual({ to: 'Ask for at most 90 days of shifts at a time' });
    expect(problems(shiftsQuerySchema, { from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' })).toEqual({ to: '`to` comes after `from`' });
  });
});

describe('escalation policies', () => {
  it('names each bad level and target', () => {
    expect(
      problems(policyInputSchema, {
        name: 'Platform escalation',
        repeat: 12,
        levels: [
          { delaySeconds: -1, targets: [{ user: 'x' }, { schedule: 'nope' }, {}, { user: 'ana@example.com', schedule: '0b0c6a52-8a9c-4a43-9d1e-1f1c8f1f7e01' }] },
          { delaySeconds: 300, targets: [] },
          { delaySeconds: 1.5, targets: 'ana@example.com' },
        ],
      }),
    ).toEqual({
      repeat: 'repeat is at most 9',
      'levels.0.delaySeconds': 'delaySeconds is 0 or more',
      'levels.0.targets.0.user': 'x is not an e-mail address; name the user by e-mail, like ana@example.com',
      'levels.0.targets.1.schedule': 'nope is not a schedule id; use the id from GET /api/v1/schedules',
      'levels.0.targets.2': 'A target is either {"user": "<e-mail>"} or {"schedule": "<schedule id>"}, one of the two',
      'levels.0.targets.3': 'A target is either {"user": "<e-mail>"} or {"schedule": "<schedule id>"}, one of the two',
      'levels.1.targets': 'Each level notifies at least one target (a user or a schedule)',
      'levels.2.delaySeconds': 'delaySeconds is a whole number of seconds, e.g. 300',
      'levels.2.targets': 'targets is a list, e.g. [{"schedule": "<id>"}, {"user": "ana@example.com"}]',
    });
  });

  it('expresses the seeds’ escalation matrix as written: three levels, five minutes apart', () => {
    const schedule = '0b0c6a52-8a9c-4a43-9d1e-1f1c8f1f7e01';
    expect(
      policyInputSchema.parse({
        name: 'DevOps escalation',
        levels: [
          { delaySeconds: 300, targets: [{ schedule }] },
          { delaySeconds: 600, targets: [{ user: 'Lead@example.com' }] },
          { delaySeconds: 900, targets: [{ user: 'cto@example.com' }, { user: 'vp@example.com' }] },
        ],
      }),
    ).toEqual({
      name: 'DevOps escalation',
      repeat: 0,
      levels: [
        { delaySeconds: 300, targets: [{ schedule }] },
        { delaySeconds: 600, targets: [{ user: 'lead@example.com' }] },
        { delaySeconds: 900, targets: [{ user: 'cto@example.com' }, { user: 'vp@example.com' }] },
      ],
    });
  });
});

describe('contact methods', () => {
  it('checks the target against its kind, even when another field is wrong too', () => {
    expect(problems(contactMethodInputSchema, { kind: 'ntfy', target: 'https://ntfy.sh/', delaySeconds: 4000 })).toEqual({
      delaySeconds: 'delaySeconds is at most 3600 (an hour)',
      target: 'Add the topic to the server URL, e.g. https://ntfy.sh/sitrep-ana-3f9k (the server URL and the topic)',
    });
    expect(problems(contactMethodInputSchema, { kind: 'email', target: 'https://example.com' })).toEqual({ target: 'https://example.com is not an e-mail address; write it like ana@example.com' });
    expect(problems(contactMethodInputSchema, { kind: 'slack', target: 'hooks.slack.com/services/x' })).toEqual({
      target: 'hooks.slack.com/services/x is not an http(s) URL; for Slack (incoming webhook) use one like https://hooks.slack.com/services/T000/B000/XXXX',
    });
    expect(problems(contactMethodInputSchema, { kind: 'pager', target: 'x' })).toEqual({ kind: 'The kind is email, ntfy, slack, teams, mattermost, webhook' });
    expect(problems(contactMethodInputSchema, { kind: 'ntfy', target: 'https://ntfy.example.com/oncall?auth=x' })).toEqual({
      target: 'An ntfy target is the server URL and the topic only, without ?… or #…, e.g. https://ntfy.sh/sitrep-ana-3f9k (the server URL and the topic)',
    });
  });

  it('defaults the delay to 0 and keeps the label', () => {
    expect(contactMethodInputSchema.parse({ kind: 'email', target: ' Ana@Example.com ', label: 'Work' })).toEqual({ kind: 'email', target: 'ana@example.com', delaySeconds: 0, label: 'Work' });
    expect(contactMethodInputSchema.parse({ kind: 'ntfy', target: 'https://ntfy.example.com/sitrep-ana', delaySeconds: 0 })).toEqual({
      kind: 'ntfy',
      target: 'https://ntfy.example.com/sitrep-ana',
      delaySeconds: 0,
    });
  });
});

describe('pages', () => {
  it('takes exactly one target and says which kinds exist', () => {
    expect(problems(pageInputSchema, { title: 'x', target: { policy: 'a', user: 'b' } })).toEqual({
      title: 'Give the page a title of at least 3 characters',
      target: 'Page exactly one target: {"policy": "<id>"}, {"schedule": "<id>"} or {"user": "<e-mail>"}',
    });
    expect(problems(pageInputSchema, { title: 'Checkout down', target: { policy: 'nope' }, incidentNumber: 0 })).toEqual({
      'target.policy': 'nope is not a policy id; use the id from GET /api/v1/escalation-policies',
      incidentNumber: 'incidentNumber is a whole number, e.g. 42',
    });
    expect(pageInputSchema.parse({ title: ' Checkout down ', target: { user: 'Ana@example.com' } })).toEqual({ title: 'Checkout down', target: { user: 'ana@example.com' } });
    expect(incidentPageInputSchema.parse({ target: { schedule: '0b0c6a52-8a9c-4a43-9d1e-1f1c8f1f7e01' }, message: 'Please join' })).toEqual({
      target: { schedule: '0b0c6a52-8a9c-4a43-9d1e-1f1c8f1f7e01' },
      message: 'Please join',
    });
  });
});
