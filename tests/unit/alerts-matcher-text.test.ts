// Matchers typed one per line in Alertmanager's notation, and back.
import { describe, expect, it } from 'vitest';
import { matcherLines, parseMatcherLines } from '@/lib/alerts/matcher-text';

describe('parseMatcherLines', () => {
  it('reads equals, not-equals and regex, quoted or not, skipping blank and comment lines', () => {
    expect(parseMatcherLines('env="prod"\n\n# the db fleet\ninstance =~ db-.*\nteam!=web')).toEqual({ ok: true, matchers: { env: 'prod', instance: '~db-.*', team: '!web' } });
  });

  it('keeps a value that starts with ! or ~ literal by writing it as a regex', () => {
    const parsed = parseMatcherLines('note=!important');
    expect(parsed).toEqual({ ok: true, matchers: { note: '~!important' } });
  });

  it('names every line it cannot read', () => {
    expect(parseMatcherLines('env\nteam=web\nteam=db\nx="open')).toEqual({
      ok: false,
      errors: [
        'Line 1 (“env”) is not a matcher; write label=value, label!=value or label=~regex',
        'Line 3: team is matched twice; keep one line per label',
        'Line 4: the quoted value is not closed properly',
      ],
    });
  });

  it('round-trips through matcherLines', () => {
    const matchers = { env: 'prod', instance: '~db-.*', team: '!web', quote: 'say "hi"' };
    expect(parseMatcherLines(matcherLines(matchers))).toEqual({ ok: true, matchers });
  });
});
