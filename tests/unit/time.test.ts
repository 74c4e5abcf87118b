// One formatter and one wording for times and spans, wherever they are shown (issue #16, item 7).
import { describe, expect, it } from 'vitest';
import { formatAgo, formatClock, formatDateTime, formatDuration, formatMoment } from '@/lib/platform/time';

describe('formatDuration', () => {
  it('says "<1 min" below a minute and counts whole minutes after that, never rounding up', () => {
    expect(formatDuration(0)).toBe('<1 min');
    expect(formatDuration(59_999)).toBe('<1 min');
    expect(formatDuration(60_000)).toBe('1 min');
    expect(formatDuration(110_000)).toBe('1 min');
    expect(formatDuration(45 * 60_000)).toBe('45 min');
  });

  it('writes hours and days without a zero part', () => {
    expect(formatDuration(60 * 60_000)).toBe('1 h');
    expect(formatDuration(85 * 60_000)).toBe('1 h 25 min');
    expect(formatDuration(48 * 3_600_000)).toBe('2 d');
    expect(formatDuration(76 * 3_600_000)).toBe('3 d 4 h');
  });

  it('never shows a negative span', () => {
    expect(formatDuration(-5_000)).toBe('<1 min');
  });
});

describe('times', () => {
  it('are UTC to the minute, with the date only when it differs from the reference', () => {
    expect(formatDateTime('2026-11-30T11:17:42.123Z')).toBe('2026-11-30 11:17 UTC');
    expect(formatClock(new Date('2026-11-30T11:17:42Z'))).toBe('11:17 UTC');
    expect(formatClock('2026-11-30T11:17:42Z', { seconds: true })).toBe('11:17:42 UTC');
    expect(formatMoment('2026-11-30T11:17:00Z', '2026-11-30T02:00:00Z')).toBe('11:17 UTC');
    expect(formatMoment('2026-11-30T11:17:00Z', '2026-11-29T23:00:00Z')).toBe('2026-11-30 11:17 UTC');
  });

  it('ago reads like the durations', () => {
    expect(formatAgo(3_000)).toBe('just now');
    expect(formatAgo(30_000)).toBe('<1 min ago');
    expect(formatAgo(12 * 60_000)).toBe('12 min ago');
  });
});
