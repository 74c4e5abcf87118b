import { describe, expect, it } from 'vitest';
import { parseReviewTemplate } from '@/lib/postmortems/generate';
import { lineDiff, mergeTexts } from '@/lib/postmortems/merge';

describe('mergeTexts', () => {
  it('keeps their text and adds my lines they do not have, so both survive', () => {
    expect(mergeTexts('A\nB', 'A\nC')).toBe('A\nB\nC');
    expect(mergeTexts('Same', 'Same')).toBe('Same');
    expect(mergeTexts('', 'Mine only')).toBe('\nMine only');
  });
});

describe('lineDiff', () => {
  it('marks removed and added lines around the common ones', () => {
    expect(lineDiff('a\nb\nc', 'a\nc\nd')).toEqual([
      { kind: 'same', text: 'a' },
      { kind: 'removed', text: 'b' },
      { kind: 'same', text: 'c' },
      { kind: 'added', text: 'd' },
    ]);
  });
});

describe('parseReviewTemplate', () => {
  it('turns a pasted PagerDuty-style template into sections, generating the ones Sitrep knows', () => {
    const sections = parseReviewTemplate(
      "# Postmortem\n\n## Summary\nWhat happened.\n\n## Impact\n\n## Contributing Factors\nWhy.\n\n## What didn't go so well?\n\n## Action Items\n\n## Messaging\n\n## Custom thing\nWrite it.\n",
    );
    expect(sections.map((s) => s.key)).toEqual(['summary', 'impact', 'root_cause', 'what_went_wrong', 'action_items', 'communications', 'custom_thing']);
    expect(sections.find((s) => s.key === 'custom_thing')).toEqual({ key: 'custom_thing', title: 'Custom thing', prompt: 'Write it.' });
    expect(parseReviewTemplate('no headings at all')).toEqual([]);
  });
});
