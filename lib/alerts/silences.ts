// Silences (maintenance windows): label matchers, a start, an end and a comment. A silenced alert
// is still stored and shown (as silenced) but pages no one and declares nothing. Matchers are the
// routes' (`value`, `!value`, `~regex`); like Alertmanager, a silence is active from `startsAt`
// (inclusive) until `endsAt` (exclusive) and needs at least one matcher that a missing label can't
// satisfy, so no silence mutes everything by accident.
import { z } from 'zod';
import { whenFieldsValid } from '@/lib/platform/validation';
import { compileMatchers, matcherSetSchema, matchesAll, matchesMissingLabel, type CompiledMatcher } from '@/lib/alerts/matchers';

const isoTime = (what: string) =>
  z.iso.datetime({ offset: true, error: `${what} must be an ISO-8601 time such as 2026-11-30T22:00:00Z` }).transform((text) => new Date(text));

export const silenceInputSchema = z
  .object({
    matchers: matcherSetSchema('matchers'),
    startsAt: isoTime('startsAt').optional(),
    endsAt: isoTime('endsAt'),
    comment: z.string({ error: 'Say why alerts are silenced (a comment), e.g. "DB failover drill"' }).trim().min(1, 'Say why alerts are silenced (a comment)').max(1_000, 'Keep the comment under 1,000 characters'),
  })
  .superRefine(
    (silence, ctx) => {
      const matchers = compileMatchers(silence.matchers);
      if (matchers.length === 0) {
        ctx.addIssue({ code: 'custom', path: ['matchers'], message: 'Name at least one label to silence, e.g. {"alertname": "DiskFull"}' });
      } else if (matchers.every(matchesMissingLabel)) {
        ctx.addIssue({
          code: 'custom',
          path: ['matchers'],
          message: 'At least one matcher must require a value (e.g. {"env": "staging"}): these also match alerts that lack the label, so the silence would mute nearly everything',
        });
      }
    },
    { when: whenFieldsValid('matchers') },
  )
  .superRefine(
    (silence, ctx) => {
      if (silence.startsAt && silence.endsAt.getTime() <= silence.startsAt.getTime()) {
        ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'endsAt must be after startsAt' });
      }
    },
    // Only once both times parsed (they are Dates then), whatever the other fields say.
    { when: whenFieldsValid('startsAt', 'endsAt') },
  );
export type SilenceInput = z.input<typeof silenceInputSchema>;

export type Silence = {
  id?: string;
  matchers: Record<string, string>;
  startsAt: Date;
  endsAt: Date;
  comment?: string;
};

export type SilenceState = 'pending' | 'active' | 'expired';

export function silenceState(silence: Pick<Silence, 'startsAt' | 'endsAt'>, at: Date): SilenceState {
  if (at.getTime() < silence.startsAt.getTime()) return 'pending';
  return at.getTime() < silence.endsAt.getTime() ? 'active' : 'expired';
}

// Compiled once per silence object: a storm checks every alert against the same few silences.
const compiledSilences = new WeakMap<Silence, CompiledMatcher[]>();

function matchersOf(silence: Silence): CompiledMatcher[] {
  let matchers = compiledSilences.get(silence);
  if (!matchers) {
    matchers = compileMatchers(silence.matchers);
    compiledSilences.set(silence, matchers);
  }
  return matchers;
}

/** The first silence that mutes the alert at that moment, or null. */
export function silencedBy<S extends Silence>(alert: { labels: Record<string, string> }, silences: readonly S[], at: Date): S | null {
  for (const silence of silences) {
    if (silenceState(silence, at) !== 'active') continue;
    const matchers = matchersOf(silence);
    // A silence without matchers (an old or hand-made row) mutes nothing, never everything.
    if (matchers.length > 0 && matchesAll(matchers, alert.labels)) return silence;
  }
  return null;
}

export function isSilenced(alert: { labels: Record<string, string> }, silences: readonly Silence[], at: Date): boolean {
  return silencedBy(alert, silences, at) !== null;
}
