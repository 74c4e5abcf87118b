// The bench refuses to report a PASS from a busy machine (scripts/bench/stats.ts).
import { describe, expect, it } from 'vitest';
import { busyReasons, verdict, type Row } from '../../scripts/bench/stats';

const page = (limit: number): Row => ({ name: 'Dashboard: full HTML p95', figure: 100, unit: 'ms', limit, limitLabel: 'its SQL p95', goal: { max: 150 } });
const throughput = (limit: number): Row => ({ name: 'Writes: throughput', figure: 400, unit: 'req/s', limit, limitLabel: 'raw SQL', goal: { minRatio: 0.4 } });
const quiet = { loadAverage: 0.4, cores: 2 };

describe('busyReasons', () => {
  it('finds nothing on a quiet machine whose limits match the last run', () => {
    expect(busyReasons(quiet, [page(12), throughput(700)], [page(10), throughput(800)])).toEqual([]);
    expect(busyReasons(quiet, [page(12)], null)).toEqual([]);
  });

  it('names a load average above the core count at start', () => {
    expect(busyReasons({ loadAverage: 2.5, cores: 2 }, [], null)).toEqual(['the load average was 2.50 at start, above the 2 cores']);
  });

  it('names a limit more than twice as slow as in the previous run, for times and for throughput', () => {
    const reasons = busyReasons(quiet, [page(25), throughput(300)], [page(10), throughput(800)]);
    expect(reasons).toHaveLength(2);
    expect(reasons[0]).toContain('2.5× slower');
    expect(reasons[1]).toContain('2.7× slower');
  });

  it('leaves out sub-millisecond round trips, whose noise is larger than the signal', () => {
    expect(busyReasons(quiet, [page(0.4)], [page(0.1)])).toEqual([]);
  });
});

describe('verdict', () => {
  it('reports BUSY where it would pass, and still reports a miss', () => {
    expect(verdict(page(10), true)).toBe('BUSY');
    expect(verdict(page(10))).toBe('PASS');
    expect(verdict({ ...page(10), figure: 200 }, true)).toBe('MISS');
  });
});
