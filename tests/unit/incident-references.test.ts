// INC-12 and @mentions in notes, rendered by the server's Markdown pipeline (issue #16).
import { describe, expect, it } from 'vitest';
import { incidentReferences, mentionedHandles } from '@/lib/incidents/references';
import { renderMarkdown } from '@/lib/platform/markdown/render';

const render = (text: string) => String(renderMarkdown(text, { references: incidentReferences }));

describe('incident references', () => {
  it('links INC-12 to its command view and marks @mentions', () => {
    expect(render('Same as INC-12, ask @priya.')).toBe('<p>Same as <a href="/incidents/12" class="sitrep-ref">INC-12</a>, ask <span class="sitrep-mention">@priya</span>.</p>\n');
  });

  it('leaves code, links, e-mail addresses and longer words alone', () => {
    const html = render('`INC-3` and [INC-5](https://x.example) mail ana@example.com, XINC-6, INC-7a\n\n```\n@root INC-4\n```');
    expect(html).not.toContain('sitrep-ref');
    expect(html).not.toContain('sitrep-mention');
  });

  it('keeps what the text says escaped', () => {
    expect(render('<b>INC-1</b> & @sam')).toContain('&lt;b&gt;<a href="/incidents/1" class="sitrep-ref">INC-1</a>&lt;/b&gt; &amp; <span class="sitrep-mention">@sam</span>');
  });

  it('renders the same text without references when not asked to (the status page)', () => {
    expect(String(renderMarkdown('INC-12'))).toBe('<p>INC-12</p>\n');
  });
});

describe('mentionedHandles', () => {
  it('finds each handle once, a full address too, not inside code or addresses, without a trailing dot', () => {
    expect(mentionedHandles('@Priya and @priya, cc @sam@sitrep.local. Not `@mei` or ana@example.com; ping @jordan.')).toEqual(['priya', 'sam@sitrep.local', 'jordan']);
  });
});
