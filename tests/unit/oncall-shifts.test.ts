import fc from 'fast-check';
import { DateTime, IANAZone } from 'luxon';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { scheduleInputSchema, type LayerInput, type Override, type ScheduleRules } from '@/lib/oncall/schema';
import { computeShifts, onCallAt, type Shift } from '@/lib/oncall/shifts';

function schedule(timeZone: string, ...layers: LayerInput[]): ScheduleRules {
  return scheduleInputSchema.parse({ name: 'Test schedule', timeZone, layers });
}

const utc = (iso: string) => new Date(iso);
const range = (from: string, to: string) => ({ from: utc(from), to: utc(to) });
const hours = (shift: Shift) => (shift.end.getTime() - shift.start.getTime()) / 3_600_000;

/** Shifts as short lines, local time in the zone: "a 2026-03-28 09:00 → 2026-03-29 09:00 (23h) L0". */
function lines(shifts: Shift[], zone: string): string[] {
  const local = (date: Date) => DateTime.fromJSDate(date, { zone }).toFormat('yyyy-MM-dd HH:mm');
  return shifts.map((shift) => `${shift.email.split('@')[0]} ${local(shift.start)} → ${local(shift.end)} (${hours(shift)}h) ${shift.source === 'override' ? 'override' : `L${shift.layer}`}`);
}

const people = (...names: string[]) => names.map((name) => `${name}@example.com`);

describe('daily hand-offs across DST', () => {
  it('keeps a 09:00 hand-off at 09:00 in Berlin: 23 h across spring forward, 25 h across fall back', () => {
    const rules = schedule('Europe/Berlin', { participants: people('a', 'b', 'c'), rotation: 'daily', handoffTime: '09:00', startDate: '2026-03-27' });
    const spring = computeShifts(rules, [], range('2026-03-27T08:00:00Z', '2026-03-30T07:00:00Z'));
    expect(lines(spring, 'Europe/Berlin')).toEqual([
      'a 2026-03-27 09:00 → 2026-03-28 09:00 (24h) L0',
      'b 2026-03-28 09:00 → 2026-03-29 09:00 (23h) L0',
      'c 2026-03-29 09:00 → 2026-03-30 09:00 (24h) L0',
    ]);
    expect(spring[1]!.start.toISOString()).toBe('2026-03-28T08:00:00.000Z');
    expect(spring[1]!.end.toISOString()).toBe('2026-03-29T07:00:00.000Z');

    const autumn = computeShifts(rules, [], range('2026-10-24T07:00:00Z', '2026-10-25T08:00:00Z'));
    expect(lines(autumn, 'Europe/Berlin')).toEqual(['b 2026-10-24 09:00 → 2026-10-25 09:00 (25h) L0']);
    expect(autumn[0]!.start.toISOString()).toBe('2026-10-24T07:00:00.000Z');
    expect(autumn[0]!.end.toISOString()).toBe('2026-10-25T08:00:00.000Z');
  });

  it('does the same in New York, whose clocks change on other dates', () => {
    const rules = schedule('America/New_York', { participants: people('a', 'b'), rotation: 'daily', handoffTime: '09:00', startDate: '2026-01-01' });
    const [spring] = computeShifts(rules, [], range('2026-03-07T15:00:00Z', '2026-03-07T16:00:00Z'));
    expect(spring!.start.toISOString()).toBe('2026-03-07T14:00:00.000Z');
    expect(spring!.end.toISOString()).toBe('2026-03-08T13:00:00.000Z');
    const [autumn] = computeShifts(rules, [], range('2026-10-31T15:00:00Z', '2026-10-31T16:00:00Z'));
    expect(autumn!.start.toISOString()).toBe('2026-10-31T13:00:00.000Z');
    expect(autumn!.end.toISOString()).toBe('2026-11-01T14:00:00.000Z');
    expect([hours(spring!), hours(autumn!)]).toEqual([23, 25]);
  });

  it('does the same in Sydney, where summer time ends in April and starts in October', () => {
    const rules = schedule('Australia/Sydney', { participants: people('a', 'b'), rotation: 'daily', handoffTime: '09:00', startDate: '2026-01-01' });
    const [april] = computeShifts(rules, [], range('2026-04-04T00:00:00Z', '2026-04-04T00:00:01Z'));
    expect(lines([april!], 'Australia/Sydney')).toEqual([expect.stringMatching(/2026-04-04 09:00 → 2026-04-05 09:00 \(25h\)/)]);
    const [october] = computeShifts(rules, [], range('2026-10-03T00:00:00Z', '2026-10-03T00:00:01Z'));
    expect(lines([october!], 'Australia/Sydney')).toEqual([expect.stringMatching(/2026-10-03 09:00 → 2026-10-04 09:00 \(23h\)/)]);
  });

  it('hands off at the jump when the hand-off time does not exist, and at the first occurrence when it happens twice', () => {
    const rules = schedule('Europe/Berlin', { participants: people('a', 'b'), rotation: 'daily', handoffTime: '02:30', startDate: '2026-03-01' });
    const spring = computeShifts(rules, [], range('2026-03-28T12:00:00Z', '2026-03-29T12:00:00Z'));
    // 02:30 does not exist on 29 March: the clock jumps from 02:00 to 03:00 (01:00 UTC).
    expect(spring.map((shift) => [shift.start.toISOString(), shift.end.toISOString()])).toEqual([
      ['2026-03-28T01:30:00.000Z', '2026-03-29T01:00:00.000Z'],
      ['2026-03-29T01:00:00.000Z', '2026-03-30T00:30:00.000Z'],
    ]);
    const autumn = computeShifts(rules, [], range('2026-10-25T00:00:00Z', '2026-10-25T00:00:01Z'));
    // 02:30 happens twice on 25 October: first at 00:30 UTC (summer time).
    expect(autumn[0]!.end.toISOString()).toBe('2026-10-25T00:30:00.000Z');
    const after = computeShifts(rules, [], range('2026-10-25T00:30:00Z', '2026-10-25T00:30:01Z'));
    expect([after[0]!.start.toISOString(), after[0]!.end.toISOString()]).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']);
  });

  it('hands off at midnight where midnight is skipped (Santiago starts summer time at 00:00)', () => {
    const rules = schedule('America/Santiago', { participants: people('a', 'b'), rotation: 'daily', handoffTime: '00:00', startDate: '2026-09-01' });
    const shifts = computeShifts(rules, [], range('2026-09-05T12:00:00Z', '2026-09-06T12:00:00Z'));
    expect(shifts.map((shift) => shift.start.toISOString())).toEqual(['2026-09-05T04:00:00.000Z', '2026-09-06T04:00:00.000Z']);
    expect(hours(shifts[0]!)).toBe(24); // 00:00 −04 to the jump at 00:00 = 01:00 −03
    expect(hours(shifts[1]!)).toBe(23);
  });

  it('never runs backwards where a zone skipped a whole day (Samoa, 30 December 2011)', () => {
    const rules = schedule('Pacific/Apia', { participants: people('a', 'b', 'c'), rotation: 'daily', handoffTime: '09:00', startDate: '2011-12-28' });
    const shifts = computeShifts(rules, [], range('2011-12-28T12:00:00Z', '2012-01-01T12:00:00Z'));
    expect(lines(shifts, 'Pacific/Apia')).toEqual([
      'a 2011-12-28 09:00 → 2011-12-29 09:00 (24h) L0',
      // 30 December never happened: c's shift starts when the clock jumps to 31 December.
      'b 2011-12-29 09:00 → 2011-12-31 00:00 (15h) L0',
      'c 2011-12-31 00:00 → 2011-12-31 09:00 (9h) L0',
      'a 2011-12-31 09:00 → 2012-01-01 09:00 (24h) L0',
      'b 2012-01-01 09:00 → 2012-01-02 09:00 (24h) L0',
    ]);
  });
});

describe('N-hour and weekly rotations', () => {
  it('runs {hours: 8} on the local clock: 01:00, 09:00, 17:00, the shift across the jump 7 h', () => {
    const rules = schedule('America/New_York', { participants: people('a', 'b'), rotation: { hours: 8 }, handoffTime: '01:00', startDate: '2026-03-07' });
    const shifts = computeShifts(rules, [], range('2026-03-07T06:00:00Z', '2026-03-08T22:00:00Z'));
    expect(lines(shifts, 'America/New_York')).toEqual([
      'a 2026-03-07 01:00 → 2026-03-07 09:00 (8h) L0',
      'b 2026-03-07 09:00 → 2026-03-07 17:00 (8h) L0',
      'a 2026-03-07 17:00 → 2026-03-08 01:00 (8h) L0',
      'b 2026-03-08 01:00 → 2026-03-08 09:00 (7h) L0',
      'a 2026-03-08 09:00 → 2026-03-08 17:00 (8h) L0',
      'b 2026-03-08 17:00 → 2026-03-09 01:00 (8h) L0',
    ]);
  });

  it('runs {hours: 5}, which does not divide a day, through the Berlin spring night', () => {
    const rules = schedule('Europe/Berlin', { participants: people('a', 'b', 'c'), rotation: { hours: 5 }, handoffTime: '00:00', startDate: '2026-03-28' });
    const shifts = computeShifts(rules, [], range('2026-03-28T19:00:00Z', '2026-03-29T06:00:00Z'));
    expect(lines(shifts, 'Europe/Berlin')).toEqual([
      'b 2026-03-28 20:00 → 2026-03-29 01:00 (5h) L0',
      'c 2026-03-29 01:00 → 2026-03-29 06:00 (4h) L0',
      'a 2026-03-29 06:00 → 2026-03-29 11:00 (5h) L0',
    ]);
  });

  it('drops a shift the clock jump swallows whole, and keeps going (Troll jumps two hours)', () => {
    const rules = schedule('Antarctica/Troll', { participants: people('a', 'b', 'c'), rotation: { hours: 1 }, handoffTime: '00:00', startDate: '2026-03-29' });
    const shifts = computeShifts(rules, [], range('2026-03-29T00:00:00Z', '2026-03-29T03:00:00Z'));
    // The clock jumps from 01:00 to 03:00 (01:00 UTC): the hand-offs at 01:00, 02:00 and 03:00 all
    // happen at the jump, so b's and c's turns last no time and are left out; the rotation goes on.
    expect(lines(shifts, 'Antarctica/Troll')).toEqual([
      'a 2026-03-29 00:00 → 2026-03-29 03:00 (1h) L0',
      'a 2026-03-29 03:00 → 2026-03-29 04:00 (1h) L0',
      'b 2026-03-29 04:00 → 2026-03-29 05:00 (1h) L0',
    ]);
  });

  it('starts a weekly rotation on the first hand-off day on or after the start date, nobody before', () => {
    const rules = schedule('Europe/Berlin', { participants: people('a', 'b'), rotation: 'weekly', handoffDay: 'monday', handoffTime: '09:00', startDate: '2026-12-02' });
    expect(lines(computeShifts(rules, [], range('2026-12-01T00:00:00Z', '2026-12-21T00:00:00Z')), 'Europe/Berlin')).toEqual([
      'a 2026-12-07 09:00 → 2026-12-14 09:00 (168h) L0',
      'b 2026-12-14 09:00 → 2026-12-21 09:00 (168h) L0',
    ]);
    // Without a hand-off day the week starts on the start date itself (a Wednesday).
    const fromWednesday = schedule('Europe/Berlin', { participants: people('a', 'b'), rotation: 'weekly', handoffTime: '09:00', startDate: '2026-12-02' });
    expect(lines(computeShifts(fromWednesday, [], range('2026-12-01T00:00:00Z', '2026-12-10T00:00:00Z')), 'Europe/Berlin')).toEqual([
      'a 2026-12-02 09:00 → 2026-12-09 09:00 (168h) L0',
      'b 2026-12-09 09:00 → 2026-12-16 09:00 (168h) L0',
    ]);
  });

  it('counts leap days: daily turns go on through 29 February, and a weekly Tuesday can start on it', () => {
    const daily = schedule('Europe/Berlin', { participants: people('a', 'b'), rotation: 'daily', handoffTime: '09:00', startDate: '2028-02-28' });
    expect(lines(computeShifts(daily, [], range('2028-02-28T08:00:00Z', '2028-03-01T09:00:00Z')), 'Europe/Berlin')).toEqual([
      'a 2028-02-28 09:00 → 2028-02-29 09:00 (24h) L0',
      'b 2028-02-29 09:00 → 2028-03-01 09:00 (24h) L0',
      'a 2028-03-01 09:00 → 2028-03-02 09:00 (24h) L0',
    ]);
    const weekly = schedule('Europe/Berlin', { participants: people('a', 'b'), rotation: 'weekly', handoffDay: 'tuesday', handoffTime: '09:00', startDate: '2028-02-26' });
    expect(computeShifts(weekly, [], range('2028-02-01T00:00:00Z', '2028-03-01T00:00:00Z'))[0]!.start.toISOString()).toBe('2028-02-29T08:00:00.000Z');
  });

  it('jumps to the right turn when the start date is years back, without walking there', () => {
    const participants = people('a', 'b', 'c', 'd', 'e', 'f', 'g');
    const rules = schedule('Europe/Vienna', { participants, rotation: 'daily', handoffTime: '09:00', startDate: '2001-01-01' });
    const offsets = vi.spyOn(IANAZone.prototype, 'offset');
    const [shift] = computeShifts(rules, [], range('2026-12-07T12:00:00Z', '2026-12-07T12:00:01Z'));
    // Walking 9,471 days from 2001 would ask for the offset thousands of times.
    expect(offsets.mock.calls.length).toBeLessThan(100);
    const turns = DateTime.fromISO('2026-12-07', { zone: 'utc' }).diff(DateTime.fromISO('2001-01-01', { zone: 'utc' }), 'days').days;
    expect(shift!.email).toBe(participants[turns % participants.length]);
    expect(shift!.start.toISOString()).toBe('2026-12-07T08:00:00.000Z');
  });
});

describe('layers, restrictions and overrides', () => {
  const base: LayerInput = { name: 'Primary', participants: people('a', 'b'), rotation: 'daily', handoffTime: '09:00', startDate: '2026-12-01' };
  const businessHours: LayerInput = {
    name: 'Business hours',
    participants: people('biz'),
    rotation: 'weekly',
    handoffDay: 'monday',
    handoffTime: '09:00',
    startDate: '2026-11-30',
    restrictions: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' }],
  };

  it('lets a later layer win where it has someone, and shows the earlier one through elsewhere', () => {
    const rules = schedule('Europe/Berlin', base, businessHours);
    expect(lines(computeShifts(rules, [], range('2026-12-04T08:00:00Z', '2026-12-08T08:00:00Z')), 'Europe/Berlin')).toEqual([
      'biz 2026-12-04 09:00 → 2026-12-04 17:00 (8h) L1', // Friday
      'b 2026-12-04 17:00 → 2026-12-05 09:00 (16h) L0',
      'a 2026-12-05 09:00 → 2026-12-06 09:00 (24h) L0', // the weekend has no business hours
      'b 2026-12-06 09:00 → 2026-12-07 09:00 (24h) L0',
      'biz 2026-12-07 09:00 → 2026-12-07 17:00 (8h) L1',
      'a 2026-12-07 17:00 → 2026-12-08 09:00 (16h) L0',
    ]);
  });

  it('keeps restriction windows at local time across DST and runs windows past midnight', () => {
    const nights = schedule('Europe/Berlin', {
      participants: people('night'),
      rotation: 'weekly',
      handoffTime: '18:00',
      startDate: '2026-03-23',
      restrictions: [{ days: ['fri', 'sat'], from: '22:00', to: '06:00' }],
    });
    expect(lines(computeShifts(nights, [], range('2026-03-23T00:00:00Z', '2026-03-30T00:00:00Z')), 'Europe/Berlin')).toEqual([
      'night 2026-03-27 22:00 → 2026-03-28 06:00 (8h) L0',
      // Saturday night is an hour shorter: the clocks jump from 02:00 to 03:00.
      'night 2026-03-28 22:00 → 2026-03-29 06:00 (7h) L0',
    ]);
    const business = schedule('Europe/Berlin', { ...businessHours, startDate: '2026-03-23' });
    const days = computeShifts(business, [], range('2026-03-27T00:00:00Z', '2026-03-31T00:00:00Z'));
    expect(days.map((shift) => [shift.start.toISOString(), shift.end.toISOString()])).toEqual([
      ['2026-03-27T08:00:00.000Z', '2026-03-27T16:00:00.000Z'],
      ['2026-03-30T07:00:00.000Z', '2026-03-30T15:00:00.000Z'],
    ]);
  });

  it('cuts a shift into its windows and merges windows that touch', () => {
    const split = schedule('UTC', {
      participants: people('a'),
      rotation: 'daily',
      handoffTime: '00:00',
      startDate: '2026-12-07',
      restrictions: [
        { days: ['mon'], from: '08:00', to: '12:00' },
        { days: ['mon'], from: '12:00', to: '14:00' },
        { days: ['mon'], from: '18:00', to: '24:00' },
      ],
    });
    expect(lines(computeShifts(split, [], range('2026-12-07T00:00:00Z', '2026-12-08T00:00:00Z')), 'UTC')).toEqual([
      'a 2026-12-07 08:00 → 2026-12-07 14:00 (6h) L0',
      'a 2026-12-07 18:00 → 2026-12-08 00:00 (6h) L0',
    ]);
  });

  it('lets an override win over every layer, also across a hand-off, as one shift', () => {
    const rules = schedule('Europe/Berlin', base, businessHours);
    const cover: Override[] = [{ email: 'cover@example.com', start: utc('2026-12-07T13:00:00Z'), end: utc('2026-12-08T11:00:00Z') }];
    expect(lines(computeShifts(rules, cover, range('2026-12-07T08:00:00Z', '2026-12-09T08:00:00Z')), 'Europe/Berlin')).toEqual([
      'biz 2026-12-07 09:00 → 2026-12-07 14:00 (5h) L1',
      'cover 2026-12-07 14:00 → 2026-12-08 12:00 (22h) override',
      'biz 2026-12-08 12:00 → 2026-12-08 17:00 (5h) L1',
      'b 2026-12-08 17:00 → 2026-12-09 09:00 (16h) L0',
    ]);
  });

  it('lets the later of two overlapping overrides win, and an override cover where no layer has anyone', () => {
    const rules = schedule('UTC', { participants: people('a'), rotation: 'daily', handoffTime: '00:00', startDate: '2026-12-10' });
    const overrides: Override[] = [
      { email: 'first@example.com', start: utc('2026-12-09T20:00:00Z'), end: utc('2026-12-10T06:00:00Z') },
      { email: 'second@example.com', start: utc('2026-12-10T02:00:00Z'), end: utc('2026-12-10T04:00:00Z') },
    ];
    expect(lines(computeShifts(rules, overrides, range('2026-12-09T12:00:00Z', '2026-12-10T12:00:00Z')), 'UTC')).toEqual([
      'first 2026-12-09 20:00 → 2026-12-10 02:00 (6h) override',
      'second 2026-12-10 02:00 → 2026-12-10 04:00 (2h) override',
      'first 2026-12-10 04:00 → 2026-12-10 06:00 (2h) override',
      'a 2026-12-10 06:00 → 2026-12-11 00:00 (18h) L0',
    ]);
  });

  it('does not merge the same person’s shifts across a hand-off, and keeps each shift whole at the range’s edges', () => {
    const rules = schedule('UTC', { participants: people('solo'), rotation: 'daily', handoffTime: '09:00', startDate: '2026-12-01' });
    const shifts = computeShifts(rules, [], range('2026-12-07T12:00:00Z', '2026-12-09T10:00:00Z'));
    expect(lines(shifts, 'UTC')).toEqual([
      'solo 2026-12-07 09:00 → 2026-12-08 09:00 (24h) L0',
      'solo 2026-12-08 09:00 → 2026-12-09 09:00 (24h) L0',
      'solo 2026-12-09 09:00 → 2026-12-10 09:00 (24h) L0',
    ]);
  });

  it('answers nothing for an empty or reversed range', () => {
    const rules = schedule('UTC', base);
    expect(computeShifts(rules, [], range('2026-12-07T12:00:00Z', '2026-12-07T12:00:00Z'))).toEqual([]);
    expect(computeShifts(rules, [], range('2026-12-08T12:00:00Z', '2026-12-07T12:00:00Z'))).toEqual([]);
  });
});

describe('onCallAt', () => {
  const rules = schedule('Europe/Berlin', { participants: people('a', 'b'), rotation: 'weekly', handoffDay: 'friday', handoffTime: '09:00', startDate: '2026-12-04' });

  it('says who is on call, until when, and who is next', () => {
    expect(onCallAt(rules, [], utc('2026-12-07T12:00:00Z'))).toEqual({
      users: ['a@example.com'],
      until: utc('2026-12-11T08:00:00Z'),
      next: { email: 'b@example.com', start: utc('2026-12-11T08:00:00Z'), end: utc('2026-12-18T08:00:00Z') },
    });
  });

  it('counts an override as a change, and nobody before the first shift', () => {
    const cover: Override[] = [{ email: 'cover@example.com', start: utc('2026-12-08T13:00:00Z'), end: utc('2026-12-08T17:00:00Z') }];
    expect(onCallAt(rules, cover, utc('2026-12-07T12:00:00Z'))).toMatchObject({ until: utc('2026-12-08T13:00:00Z'), next: { email: 'cover@example.com' } });
    expect(onCallAt(rules, [], utc('2026-12-01T12:00:00Z'))).toEqual({
      users: [],
      until: utc('2026-12-04T08:00:00Z'),
      next: { email: 'a@example.com', start: utc('2026-12-04T08:00:00Z'), end: utc('2026-12-11T08:00:00Z') },
    });
  });

  it('gives no end when the same person stays on call past the look-ahead', () => {
    const solo = schedule('UTC', { participants: people('solo'), rotation: 'daily', handoffTime: '09:00', startDate: '2026-12-01' });
    expect(onCallAt(solo, [], utc('2026-12-07T12:00:00Z'))).toEqual({ users: ['solo@example.com'], until: null, next: null });
  });
});

// ---- Properties, against a reference written the slow, obvious way ----

const boundaryCache = new WeakMap<object, number[]>();

/** Who a layer puts on call at an instant, by walking its shifts one by one with Luxon's own calendar arithmetic. */
function referenceLayerOwner(rules: ScheduleRules, index: number, instant: number): string | null {
  const layer = rules.layers[index]!;
  const known = boundaryCache.get(layer) ?? [];
  boundaryCache.set(layer, known);
  const zone = rules.timeZone;
  const [hour, minute] = layer.handoffTime.split(':').map(Number) as [number, number];
  let first = DateTime.fromISO(layer.startDate, { zone }).set({ hour, minute });
  if (layer.rotation === 'weekly' && layer.handoffDay) {
    const wanted = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'].indexOf(layer.handoffDay) + 1;
    first = first.plus({ days: (wanted - first.weekday + 7) % 7 }).set({ hour, minute });
  }
  const boundary = (k: number): number => (known[k] ??= computeBoundary(k));
  const computeBoundary = (k: number) => {
    if (layer.rotation === 'daily') return first.plus({ days: k }).set({ hour, minute }).toMillis();
    if (layer.rotation === 'weekly') return first.plus({ weeks: k }).set({ hour, minute }).toMillis();
    // Local clock arithmetic: the wall time k·n hours on, read in the zone.
    const wall = DateTime.fromObject({ year: first.year, month: first.month, day: first.day, hour, minute }, { zone: 'utc' }).plus({ hours: k * layer.rotation.hours });
    // A doubled clock time is its first occurrence; Luxon moves a skipped one to the jump (on the hour).
    return Math.min(...wall.setZone(zone, { keepLocalTime: true }).getPossibleOffsets().map((candidate) => candidate.toMillis()));
  };
  if (instant < boundary(0)) return null;
  let k = 0;
  while (boundary(k + 1) <= instant) k++;
  const owner = layer.participants[k % layer.participants.length]!;
  if (layer.restrictions.length === 0) return owner;
  const local = DateTime.fromMillis(instant, { zone });
  const minutes = local.hour * 60 + local.minute;
  const dayName = (date: DateTime) => ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'][date.weekday - 1]!;
  const yesterday = local.minus({ days: 1 });
  const toMinutes = (clock: string) => (clock === '24:00' ? 1440 : Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3)));
  const inside = layer.restrictions.some((restriction) => {
    const from = toMinutes(restriction.from);
    const to = toMinutes(restriction.to);
    const wraps = to <= from;
    const today = restriction.days.includes(dayName(local) as never) && minutes >= from && (wraps || minutes < to);
    const fromYesterday = wraps && restriction.days.includes(dayName(yesterday) as never) && minutes < to;
    return today || fromYesterday;
  });
  return inside ? owner : null;
}

function referenceOwner(rules: ScheduleRules, overrides: readonly Override[], instant: number): string | null {
  for (let i = overrides.length - 1; i >= 0; i--) {
    const override = overrides[i]!;
    if (override.start.getTime() <= instant && instant < override.end.getTime()) return override.email;
  }
  for (let index = rules.layers.length - 1; index >= 0; index--) {
    const owner = referenceLayerOwner(rules, index, instant);
    if (owner) return owner;
  }
  return null;
}

function ownerIn(shifts: Shift[], instant: number): string | null {
  return shifts.find((shift) => shift.start.getTime() <= instant && instant < shift.end.getTime())?.email ?? null;
}

// Clock times between 04:00 and 22:30, away from the hours that are skipped or doubled (01:00–03:59
// in most zones, 23:00–00:59 in Santiago), where the reference's plain Luxon arithmetic and THE
// RULE (wall-clock.ts) may read a time differently; those cases are pinned one by one above.
const clockArbitrary = fc.record({ hour: fc.integer({ min: 4, max: 22 }), minute: fc.constantFrom(0, 30) }).map(({ hour, minute }) => `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`);
const dayArbitrary = fc.constantFrom('mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun');
const layerArbitrary = fc.record({
  participants: fc.uniqueArray(fc.constantFrom(...people('a', 'b', 'c', 'd', 'e')), { minLength: 1, maxLength: 4 }),
  rotation: fc.oneof(fc.constant('daily' as const), fc.constant('weekly' as const), fc.constantFrom(1, 2, 3, 4, 6, 8, 12, 48).map((n) => ({ hours: n }))),
  handoffDay: fc.option(fc.constantFrom('monday', 'wednesday', 'sunday'), { nil: undefined }),
  minute: fc.constantFrom(0, 30),
  hour: fc.integer({ min: 4, max: 22 }),
  startOffsetDays: fc.integer({ min: -30, max: 10 }),
  restrictions: fc.array(fc.record({ days: fc.uniqueArray(dayArbitrary, { minLength: 1, maxLength: 7 }), from: clockArbitrary, to: clockArbitrary }).filter((r) => r.from !== r.to), { maxLength: 2 }),
});

describe('properties', () => {
  afterEach(() => vi.restoreAllMocks());

  it('tiles the range without overlaps, and every instant’s owner is the reference’s and onCallAt’s', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'America/Santiago', 'UTC'),
        fc.array(layerArbitrary, { minLength: 1, maxLength: 3 }),
        // The range starts somewhere around the 2026 DST changes of either hemisphere.
        fc.constantFrom('2026-03-05', '2026-03-26', '2026-04-02', '2026-09-03', '2026-10-01', '2026-10-22'),
        fc.integer({ min: 0, max: 6 * 24 }),
        fc.integer({ min: 1, max: 14 * 24 }),
        fc.array(fc.record({ email: fc.constantFrom(...people('x', 'y')), startHour: fc.integer({ min: -24, max: 14 * 24 }), lengthHours: fc.integer({ min: 1, max: 72 }) }), { maxLength: 3 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 20, maxLength: 20 }),
        (zone, layerSpecs, day, startHour, lengthHours, overrideSpecs, samples) => {
          const base = Date.parse(`${day}T00:00:00Z`);
          const from = base + startHour * 3_600_000;
          const to = from + lengthHours * 3_600_000;
          const rules = schedule(
            zone,
            ...layerSpecs.map((spec) => ({
              participants: spec.participants,
              rotation: spec.rotation,
              ...(spec.rotation === 'weekly' && spec.handoffDay ? { handoffDay: spec.handoffDay } : {}),
              // N-hour rotations hand off on the hour, so that every hand-off lands on a whole hour.
              handoffTime: `${String(spec.hour).padStart(2, '0')}:${typeof spec.rotation === 'object' ? '00' : String(spec.minute).padStart(2, '0')}`,
              startDate: new Date(base + spec.startOffsetDays * 86_400_000).toISOString().slice(0, 10),
              restrictions: spec.restrictions,
            })),
          );
          const overrides = overrideSpecs.map((spec) => ({ email: spec.email, start: new Date(base + spec.startHour * 3_600_000), end: new Date(base + (spec.startHour + spec.lengthHours) * 3_600_000) }));
          const shifts = computeShifts(rules, overrides, { from: new Date(from), to: new Date(to) });

          for (const [index, shift] of shifts.entries()) {
            expect(shift.end.getTime()).toBeGreaterThan(shift.start.getTime());
            expect(shift.end.getTime() > from && shift.start.getTime() < to).toBe(true);
            expect(shift.source === 'override' ? shift.layer === null : Number.isInteger(shift.layer)).toBe(true);
            if (index > 0) expect(shift.start.getTime()).toBeGreaterThanOrEqual(shifts[index - 1]!.end.getTime());
          }
          // Random instants, and both ends of some shifts (where an off-by-one would show).
          const edges = shifts.filter((_, index) => index % Math.ceil(shifts.length / 10) === 0).flatMap((shift) => [shift.start.getTime(), shift.end.getTime() - 1]);
          const instants = [...samples.map((sample) => Math.floor(from + sample * (to - from - 1))), ...edges].filter((instant) => instant >= from && instant < to);
          for (const [index, instant] of instants.entries()) {
            const owner = ownerIn(shifts, instant);
            expect(owner, new Date(instant).toISOString()).toBe(referenceOwner(rules, overrides, instant));
            if (index % 4 === 0) expect(onCallAt(rules, overrides, new Date(instant)).users).toEqual(owner ? [owner] : []);
          }
        },
      ),
      { numRuns: 150 },
    );
    // A failsafe for a busy machine; a run takes a few seconds.
  }, 120_000);
});
