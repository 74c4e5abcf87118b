// How request bodies are parsed and how sent values are quoted back in messages: neither may
// overflow the stack or echo a huge value, whatever the sender nests or sends.
import { describe, expect, it } from 'vitest';
import { policyInputSchema } from '@/lib/oncall/schema';
import { declareIncidentSchema, mergeSchema } from '@/lib/incidents/schema';
import { fieldErrorsFromZod } from '@/lib/platform/errors';
import { MAX_JSON_DEPTH, parseJsonText } from '@/lib/platform/http/body';
import { shown, storableTime } from '@/lib/platform/validation';

const nested = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);

describe('parseJsonText', () => {
  it('parses JSON nested up to the limit', () => {
    expect(parseJsonText(nested(MAX_JSON_DEPTH))).toBeInstanceOf(Array);
    expect(parseJsonText('{"a":{"b":[1,{"c":"]]]]"}]}}')).toEqual({ a: { b: [1, { c: ']]]]' }] } });
  });

  it('refuses deeper nesting with a 400 that says what to do, however deep', () => {
    for (const levels of [MAX_JSON_DEPTH + 1, 100_000]) {
      expect(() => parseJsonText(nested(levels))).toThrow(expect.objectContaining({ status: 400, message: 'The body nests lists or objects more than 64 levels deep; flatten it.' }));
    }
    expect(() => parseJsonText('{"a":'.repeat(65) + '1' + '}'.repeat(65))).toThrow(/more than 64 levels/);
  });

  it('counts nothing inside strings, escaped quotes included', () => {
    expect(parseJsonText(JSON.stringify({ text: `"${'['.repeat(500)}\\"{{{` }))).toEqual({ text: `"${'['.repeat(500)}\\"{{{` });
  });

  it('names empty and malformed bodies', () => {
    expect(() => parseJsonText('  ')).toThrow('The body is empty; send a JSON document.');
    expect(() => parseJsonText('{"a":')).toThrow(/^The body is not valid JSON: /);
  });
});

describe('shown', () => {
  it('quotes strings as written, cut at 60 characters, and other values by their kind', () => {
    expect(shown('SEV5')).toBe('SEV5');
    expect(shown('x'.repeat(1_000))).toBe(`${'x'.repeat(60)}…`);
    expect(shown(5)).toBe('5');
    expect(shown(false)).toBe('false');
    expect(shown(null)).toBe('null');
    expect(shown(undefined)).toBe('nothing');
    expect(shown([1, 2])).toBe('a list');
    expect(shown({ a: 1 })).toBe('an object');
  });

  it('never serialises a value whose String() would overflow the stack', () => {
    let deep: unknown[] = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(() => String(deep)).toThrow(RangeError);
    expect(shown(deep)).toBe('a list');
  });
});

describe('messages that quote what was sent', () => {
  it('an escalation target that is a list or an object says so (a 100,000-deep list once answered 500)', () => {
    let deep: unknown[] = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const result = policyInputSchema.safeParse({ name: 'Deep', repeat: 0, levels: [{ delaySeconds: 60, targets: [{ schedule: deep }, { user: { email: 'ana@example.com' } }] }] });
    expect(fieldErrorsFromZod(result.error!)).toEqual([
      { path: 'levels.0.targets.0.schedule', message: 'a list is not a schedule id; use the id from GET /api/v1/schedules' },
      { path: 'levels.0.targets.1.user', message: 'an object is not an e-mail address; name the user by e-mail, like ana@example.com' },
    ]);
  });

  it('a severity that is not one is quoted, and a long one is cut', () => {
    const result = declareIncidentSchema.safeParse({ title: 'Checkout down', severity: `high${'x'.repeat(500)}` });
    expect(fieldErrorsFromZod(result.error!).find((error) => error.path === 'severity')?.message).toBe(`HIGH${'X'.repeat(56)}… is not a severity; use SEV1–SEV4`);
  });
});

describe('incident numbers sent as JSON numbers', () => {
  // The bad-input fuzzer found it: 2^53 − 1 as `into` reached PostgreSQL's integer and answered 500.
  it('refuses one no incident can have, with what to send, before any query', () => {
    for (const into of [9_007_199_254_740_991, 1_000_000_000, 0, -3, 1.5]) {
      const parsed = mergeSchema.safeParse({ into });
      expect(parsed.success, String(into)).toBe(false);
      const errors = fieldErrorsFromZod(parsed.error!);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ path: 'into', message: expect.stringMatching(/^(Incident numbers|No incident has|Name the incident to merge into)/) });
    }
    expect(mergeSchema.parse({ into: 999_999_999 }).into).toBe(999_999_999);
    expect(mergeSchema.parse({ into: 'INC-12' }).into).toBe(12);
  });
});

describe('times PostgreSQL can store', () => {
  it('refuses the year 0000, which JavaScript reads and PostgreSQL has not (the bad-input fuzzer’s seed 786557704)', async () => {
    const { incidentListQuerySchema } = await import('@/lib/incidents/operations');
    const refused = incidentListQuerySchema.safeParse({ from: '0000-01-01T00:00:00Z' });
    expect(refused.success).toBe(false);
    expect(fieldErrorsFromZod(refused.error!)).toEqual([{ path: 'from', message: 'Use a time between the years 0001 and 9999 (PostgreSQL has no year 0000)' }]);
    expect(incidentListQuerySchema.safeParse({ from: '0001-01-01T00:30:00+01:00' }).success).toBe(false); // year 0000 in UTC
    expect(incidentListQuerySchema.safeParse({ from: '0001-01-01', to: '2026-12-01T07:21:18Z' }).success).toBe(true);
    expect(declareIncidentSchema.safeParse({ title: 'Old', severity: 'SEV3', startedAt: '0000-06-01T00:00:00Z' }).success).toBe(false);
    expect(storableTime('9999-12-31T23:59:59Z')).toBe(true);
  });
});
