import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { renderCalendar, shiftUid, type CalendarFeed, type CalendarShift } from '@/lib/oncall/calendar';
import { scheduleInputSchema } from '@/lib/oncall/schema';
import { computeShifts } from '@/lib/oncall/shifts';

const platform = { id: '0b0c6a52-8a9c-4a43-9d1e-1f1c8f1f7e01', name: 'Platform on-call; “Tier 1”, Europe', timeZone: 'Europe/Berlin' };
const rules = scheduleInputSchema.parse({
  name: platform.name,
  timeZone: platform.timeZone,
  layers: [{ name: 'Primary', participants: ['ana@example.com', 'ben@example.com'], rotation: 'daily', handoffTime: '09:00', startDate: '2026-03-27' }],
});
const overrides = [{ email: 'cem@example.com', start: new Date('2026-03-28T13:00:00Z'), end: new Date('2026-03-28T17:00:00Z') }];

function shiftsOf(from: string, to: string): CalendarShift[] {
  return computeShifts(rules, overrides, { from: new Date(from), to: new Date(to) }).map((shift) => ({ ...shift, schedule: { id: platform.id, name: platform.name }, layerName: 'Primary' }));
}

const feed = (shifts: CalendarShift[], generatedAt = '2026-03-27T06:00:00Z'): CalendarFeed => ({
  scope: { schedule: platform },
  shifts,
  names: { 'ana@example.com': 'Ana Lima', 'ben@example.com': 'Ben Okafor' },
  generatedAt: new Date(generatedAt),
  host: 'sitrep.example.com',
  url: 'https://sitrep.example.com/oncall/0b0c6a52-8a9c-4a43-9d1e-1f1c8f1f7e01',
});

function events(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  return calendar.getAllSubcomponents('vevent').map((vevent) => {
    const event = new ICAL.Event(vevent);
    return {
      uid: event.uid,
      summary: event.summary,
      description: event.description,
      start: event.startDate.toJSDate().toISOString(),
      end: event.endDate.toJSDate().toISOString(),
      stamp: String(vevent.getFirstPropertyValue('dtstamp')),
      transparency: vevent.getFirstPropertyValue('transp'),
    };
  });
}

describe('calendar feed', () => {
  const text = renderCalendar(feed(shiftsOf('2026-03-27T08:00:00Z', '2026-03-30T07:00:00Z')));

  it('parses back into the shifts, across the spring-forward night', () => {
    const parsed = events(text);
    expect(parsed.map((event) => [event.summary, event.start, event.end])).toEqual([
      ['On call: Ana Lima', '2026-03-27T08:00:00.000Z', '2026-03-28T08:00:00.000Z'],
      ['On call: Ben Okafor', '2026-03-28T08:00:00.000Z', '2026-03-28T13:00:00.000Z'],
      ['On call: cem@example.com (override)', '2026-03-28T13:00:00.000Z', '2026-03-28T17:00:00.000Z'],
      ['On call: Ben Okafor', '2026-03-28T17:00:00.000Z', '2026-03-29T07:00:00.000Z'],
      ['On call: Ana Lima', '2026-03-29T07:00:00.000Z', '2026-03-30T07:00:00.000Z'],
    ]);
    expect(parsed[0]!.description).toBe(
      'Schedule: Platform on-call; “Tier 1”, Europe\nOn call: Ana Lima <ana@example.com>\nFrom: Layer 1 (Primary)\nSchedule page: https://sitrep.example.com/oncall/0b0c6a52-8a9c-4a43-9d1e-1f1c8f1f7e01',
    );
    expect(parsed.every((event) => event.transparency === 'TRANSPARENT')).toBe(true);
  });

  it('follows RFC 5545’s line rules: CRLF, lines of at most 75 octets, folded with a space', () => {
    expect(text.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const lines = text.split('\r\n');
    for (const line of lines) expect(Buffer.byteLength(line, 'utf8'), line).toBeLessThanOrEqual(75);
    // The calendar name holds multi-byte characters and is long enough to be folded.
    expect(lines.some((line) => line.startsWith(' '))).toBe(true);
    expect(text).toContain('\r\nEND:VCALENDAR');
  });

  it('stamps every event with the feed’s time and asks apps to refresh every 15 minutes', () => {
    expect(events(text).every((event) => event.stamp === '2026-03-27T06:00:00Z')).toBe(true);
    expect(text).toContain('\r\nREFRESH-INTERVAL;VALUE=DURATION:PT15M\r\n');
    expect(text).toContain('\r\nX-WR-TIMEZONE:Europe/Berlin\r\n');
  });

  it('gives a shift the same UID in every fetch, also when its end moved, so apps update instead of duplicating', () => {
    const first = events(text);
    const again = events(renderCalendar(feed(shiftsOf('2026-03-27T08:00:00Z', '2026-03-30T07:00:00Z'), '2026-03-28T00:00:00Z')));
    expect(again.map((event) => event.uid)).toEqual(first.map((event) => event.uid));
    expect(new Set(first.map((event) => event.uid)).size).toBe(first.length);
    expect(first[0]!.uid).toMatch(/^[0-9a-f]{32}@sitrep\.example\.com$/);

    // A later fetch over a shifted window names the shifts both windows hold with the same UIDs.
    const shifted = events(renderCalendar(feed(shiftsOf('2026-03-28T12:00:00Z', '2026-04-02T07:00:00Z'))));
    const shared = first.filter((event) => shifted.some((other) => other.start === event.start));
    expect(shared.length).toBeGreaterThan(0);
    for (const event of shared) expect(shifted.find((other) => other.start === event.start)!.uid).toBe(event.uid);

    // An override that now ends earlier keeps its UID (same person, same start).
    const base = shiftsOf('2026-03-27T08:00:00Z', '2026-03-30T07:00:00Z');
    const override = base.find((shift) => shift.source === 'override')!;
    const shorter = { ...override, end: new Date('2026-03-28T15:00:00Z') };
    expect(shiftUid(feed([]), shorter)).toBe(shiftUid(feed([]), override));
  });

  it('writes a person’s feed with the schedule in the title and UIDs of its own', () => {
    const mine = shiftsOf('2026-03-27T08:00:00Z', '2026-03-30T07:00:00Z').filter((shift) => shift.email === 'ana@example.com');
    const personal: CalendarFeed = { scope: { user: { email: 'ana@example.com', name: 'Ana Lima' } }, shifts: mine, generatedAt: new Date('2026-03-27T06:00:00Z'), host: 'sitrep.example.com' };
    const parsed = events(renderCalendar(personal));
    expect(parsed.map((event) => event.summary)).toEqual(['On call: Platform on-call; “Tier 1”, Europe', 'On call: Platform on-call; “Tier 1”, Europe']);
    const scheduleUids = new Set(events(text).map((event) => event.uid));
    expect(parsed.some((event) => scheduleUids.has(event.uid))).toBe(false);
  });

  it('is a valid empty calendar when nobody is on call', () => {
    const empty = renderCalendar(feed([]));
    expect(events(empty)).toEqual([]);
    expect(new ICAL.Component(ICAL.parse(empty)).getFirstPropertyValue('prodid')).toBe('-//Sitrep//On-call//EN');
  });
});
