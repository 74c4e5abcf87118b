// Markdown from people is rendered on the server for everyone who looks at it, so two promises
// are checked here for every field that holds Markdown, at the longest text that field accepts:
// one render costs at most 200 ms of CPU whatever the text (families of inputs that made
// JavaScript parsers super-linear), and what comes out holds nothing a browser would run.
// CPU time (process.cpuUsage) is measured rather than wall time, so a busy machine can't fail it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { postUpdateSchema, templateInputSchema } from '@/lib/communications/schema';
import { MAX_NESTING } from '@/lib/platform/markdown/sanitize';
import { renderMarkdown } from '@/lib/platform/markdown/render';
import { sectionSaveSchema } from '@/lib/postmortems/schema';
import { runbookInputSchema, runbookReferenceSchema, runbookStepSchema } from '@/lib/runbooks/schema';
import { noteInputSchema } from '@/lib/timeline/schema';

const CPU_BUDGET_MS = 200;

// Each limit is read from the schema that enforces it, so a raised limit is tested at once.
const fields = [
  { field: 'timeline note', limit: noteInputSchema.shape.body.maxLength!, hardBreaks: false },
  { field: 'review section', limit: sectionSaveSchema.shape.body.maxLength!, hardBreaks: false },
  { field: 'status update', limit: postUpdateSchema.shape.body.unwrap().maxLength!, hardBreaks: true },
  { field: 'update template', limit: templateInputSchema.shape.body.maxLength!, hardBreaks: true },
  { field: 'runbook step detail', limit: runbookStepSchema.shape.detail.unwrap().maxLength!, hardBreaks: false },
  { field: 'runbook description', limit: runbookInputSchema.shape.description.unwrap().maxLength!, hardBreaks: false },
  { field: 'runbook reference note', limit: runbookReferenceSchema.shape.markdown.maxLength!, hardBreaks: false },
];

/** Pathological Markdown, each family built to exactly `size` characters. */
function families(size: number): Record<string, string> {
  const repeat = (unit: string) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
  const lines = (line: string) => repeat(`${line}\n`);
  const nested = (unit: string) => unit.repeat(Math.floor((size - 1) / unit.length)) + 'x';
  const grow = (piece: (i: number) => string) => {
    let text = '';
    for (let i = 0; text.length < size; i++) text += piece(i);
    return text.slice(0, size);
  };
  const half = Math.floor(size / 2);  return {
    'emphasis runs *a': repeat('*a'),
    'emphasis runs _a': repeat('_a'),
    'strong runs **a': repeat('**a'),
    'mixed delimiters *_**a': repeat('*_**a'),
    'closers a*': repeat('a*'),
    'delimiter wall then text': `${'*'.repeat(half)}a${'*'.repeat(size - half - 1)}`,
    'strikethrough ~a': repeat('~a'),
    'strikethrough ~~a': repeat('~~a'),
    'nested lists - - -': nested('- '),
    'nested ordered lists': nested('1. '),
    'nested quotes > > >': nested('> '),
    'quotes and lists': nested('> - '),
    'staircase of indented lists': grow((i) => `${' '.repeat(2 * i)}- x\n`),
    'brackets [[[': repeat('['),
    'brackets ]]]': repeat(']'),
    'link openers [a](': repeat('[a]('),
    'image openers ![': repeat('!['),
    'reference links [a][': repeat('[a]['),
    'nested link labels': `${'['.repeat(half)}${']('.repeat(Math.floor((size - half) / 2))}`,
    'links in emphasis [*a': repeat('[*a'),
    'emphasis in links *[a': repeat('*[a'),
    'quoted links > [a': repeat('> [a'),
    'autolink openers <a': repeat('<a'),
    'bare URLs': repeat('http://a.b/ '),
    'www autolinks': repeat('www.a '),
    'e-mail autolinks': repeat('a@b.c '),
    'backticks': repeat('`'),
    'backtick runs of growing length': grow((i) => `${'`'.repeat(i + 1)}a `),
    'code fences': lines('```'),
    'ampersands': repeat('&'),
    'named entities': repeat('&amp;'),
    'numeric entities': repeat('&#9999999;'),
    'one very long line': repeat('abcdefghij '),
    'long table': `| a | b | c |\n|---|---|---|\n${lines('| 1 | 2 | 3 |')}`.slice(0, size),
    'wide table': `|${'a|'.repeat(Math.floor(size / 4) - 1)}\n|${'-|'.repeat(Math.floor(size / 4) - 1)}`,
    'tables without rows': lines('|a|\n|-|'),
    'pipes': repeat('|'),
    'task lists': lines('- [ ] a'),
    'headings': lines('# a'),
    'setext headings': lines('a\n='),
    'hard breaks': lines('a  '),
    'link reference definitions': lines('[a]: <b> "c"'),
    'raw HTML tags': repeat('<div>'),
    'raw HTML comments': repeat('<!--'),
    'backslashes': repeat('\\'),
    'underscores inside words': repeat('a_b'),
  };
}

function cpuMs(run: () => void): number {
  const before = process.cpuUsage();
  run();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

// What may be in the output, checked here without the sanitizer's own code: a well-formed tag
// from this list, or escaped text.
const allowedAttributes: Record<string, string[]> = {
  p: [],
  br: [],
  hr: [],
  h1: [],
  h2: [],
  h3: [],
  h4: [],
  h5: [],
  h6: [],
  blockquote: [],
  ul: [],
  ol: ['start'],
  li: ['class'],
  pre: [],
  code: ['class'],
  em: [],
  strong: [],
  del: [],
  table: [],
  thead: [],
  tbody: [],
  tr: [],
  th: ['align'],
  td: ['align'],
  a: ['href', 'title', 'rel', 'target', 'class'],
  img: ['src', 'alt', 'title', 'loading'],
  input: ['type', 'disabled', 'checked'],
  span: [],
  time: ['datetime'],
  div: ['class'],
};
const TAG = /<(\/?)([a-z][a-z0-9]*)((?:\s+[a-z-]+(?:="[^"<>]*")?)*)\s*>/g;
const ATTRIBUTE = /([a-z-]+)(?:="([^"]*)")?/g;

function decode(value: string): string {
  return value.replace(/&(amp|lt|gt|quot|apos|#39);/g, (_m, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'" })[name]!);
}

/** Everything in `html` a browser could act on that is not on the list above (plain loops: one expect per tag is too slow for 30,000 tags). */
function unsafeParts(html: string): string[] {
  const problems: string[] = [];
  const stray = html.replace(TAG, '').match(/[<>]/);
  if (stray) problems.push(`unescaped ${stray[0]} in text`);
  for (const [tag, , name, attributes] of html.matchAll(TAG)) {
    const allowed = allowedAttributes[name!];
    if (!allowed) {
      problems.push(`tag ${tag}`);
      continue;
    }
    for (const [, attribute, value = ''] of attributes!.matchAll(ATTRIBUTE)) {
      if (!allowed.includes(attribute!)) problems.push(`attribute ${attribute} in ${tag}`);
      if (attribute === 'href' || attribute === 'src') {
        const url = decode(value);
        if (!/^(?:https?:\/\/|mailto:|\/(?![/\\]))/i.test(url)) problems.push(`${attribute} ${url}`);
        if (name === 'img' && !/^\/(?![/\\])/.test(url)) problems.push(`image from elsewhere: ${url}`);
      }
    }
  }
  return problems;
}

function expectSafe(html: string, source: string) {
  expect(unsafeParts(html), `output of ${JSON.stringify(source.slice(0, 60))}`).toEqual([]);
}

describe('rendering cost stays bounded at every field’s limit', () => {
  renderMarkdown('warm *up* the [parser](https://example.com)');
  for (const { field, limit, hardBreaks } of fields) {
    it(`${field} (${limit.toLocaleString('en')} characters)`, { timeout: 120_000 }, () => {
      const costs: Record<string, number> = {};
      for (const [family, text] of Object.entries(families(limit))) {
        expect(text.length, family).toBeLessThanOrEqual(limit);
        // A unique suffix, so no render is answered from the cache.
        const unique = () => `${text.slice(0, limit - 12)}\n${field.length}${family.length}${Math.random().toString(36).slice(2, 6)}`;
        let source = unique();
        let html = '';
        costs[family] = cpuMs(() => {
          html = renderMarkdown(source, { hardBreaks });
        });
        expectSafe(html, source);
        // CPU time still drifts on a loaded machine (shared caches, GC): a render over the budget
        // is timed twice more and the least counts. A text that really costs too much is over
        // every time; noise only ever adds.
        for (let again = 0; again < 2 && costs[family]! > CPU_BUDGET_MS; again++) {
          source = unique();
          costs[family] = Math.min(costs[family]!, cpuMs(() => renderMarkdown(source, { hardBreaks })));
        }
      }
      const over = Object.entries(costs).filter(([, ms]) => ms > CPU_BUDGET_MS);
      expect(over, `renders over ${CPU_BUDGET_MS} ms of CPU`).toEqual([]);
    });
  }
});

// Fragments people paste and attackers try, mixed at random up to the largest field's limit.
const fragments = [
  '*',
  '_',
  '**',
  '~~',
  '`',
  '```',
  '[',
  ']',
  '](',
  ')',
  '![',
  '<',
  '>',
  '> ',
  '- ',
  '1. ',
  '|',
  '|---|',
  '\n',
  '\n\n',
  '    ',
  '&',
  '&#106;',
  '&Tab;',
  '\\',
  '"',
  "'",
  'a',
  'text ',
  'https://example.com/x?a=1&b=2',
  'www.example.com',
  'javascript:alert(1)',
  'JaVaScRiPt&colon;alert(1)',
  'java\tscript:x',
  'data:text/html,<script>alert(1)</script>',
  '//evil.example/p.png',
  '/\\evil.example',
  '/.//evil.example/p.png',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<a href="javascript:alert(1)">x</a>',
  '<svg onload=alert(1)>',
  '<div>',
  '</div>',
  '<!--',
  '-->',
  '"onmouseover="alert(1)',
  '```x"onmouseover=alert(1)//\ncode\n```\n',
  '[x](javascript:alert(1))',
  '[x](<java&#x09;script:alert(1)>)',
  '[x](/ok "t\\"onclick=1")',
  '![p](https://tracker.example/p.gif)',
  '![p](&#47;/evil.example/p.png)',
  '- [ ] task\n',
  '# heading\n',
];

describe('any mix of hostile fragments', () => {
  it('renders sanitised output within the CPU budget', { timeout: 120_000 }, () => {
    const limit = Math.max(...fields.map((f) => f.limit));
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...fragments), { minLength: 1, maxLength: 200 }), fc.integer({ min: 1, max: limit }), fc.boolean(), (parts, size, hardBreaks) => {
        const pattern = parts.join('');
        const source = pattern.repeat(Math.ceil(size / pattern.length)).slice(0, size);
        let html = '';
        const ms = cpuMs(() => {
          html = renderMarkdown(source, { hardBreaks });
        });
        expectSafe(html, source);
        expect(ms, `CPU ms for ${JSON.stringify(source.slice(0, 80))}… (${size} chars)`).toBeLessThanOrEqual(CPU_BUDGET_MS);
      }),
      { numRuns: 60, seed: 1414 },
    );
  });
});

/** The text a reader sees: tags removed, entities decoded. */
function visibleText(html: string): string {
  return decode(html.replace(TAG, ''));
}

describe('what people see', () => {
  it('shows a note that starts with HTML as its text (a pasted nginx 502 page), never blank', () => {
    const page = '<html>\n<head><title>502 Bad Gateway</title></head>\n<body>\n<center><h1>502 Bad Gateway</h1></center>\n<hr><center>nginx/1.25.3</center>\n</body>\n</html>';
    const html = renderMarkdown(page);
    expectSafe(html, page);
    expect(visibleText(html)).toContain('<title>502 Bad Gateway</title>');
    expect(visibleText(html)).toContain('<center>nginx/1.25.3</center>');
    expect(visibleText(renderMarkdown('<div>checkout is down</div>'))).toContain('<div>checkout is down</div>');
    expect(visibleText(renderMarkdown('<script>alert(1)</script> after'))).toContain('<script>alert(1)</script> after');
  });

  it('keeps Markdown formatting: emphasis, code, tables, task lists, strikethrough, autolinks', () => {
    const html = renderMarkdown('**bold** _it_ `code` ~~gone~~ https://example.com\n\n| a | b |\n|:-|-:|\n| 1 | 2 |\n\n- [x] done\n- [ ] open\n\n```sh\nkubectl get pods\n```');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<em>it</em>');
    expect(html).toContain('<code>code</code>');
    expect(html).toContain('<del>gone</del>');
    expect(html).toContain('<td align="left">1</td>');
    expect(html).toContain('<input type="checkbox" disabled checked>done');
    expect(html).toContain('<code class="language-sh">kubectl get pods\n</code>');
    expect(html).toContain('<a href="https://example.com/" rel="noopener noreferrer nofollow" target="_blank">https://example.com</a>');
    expect(renderMarkdown('#1 priority is checkout')).toBe('<p>#1 priority is checkout</p>\n');
  });

  it('gives links rel="noopener noreferrer nofollow" and keeps only http(s), mailto and same-site hrefs', () => {
    const html = renderMarkdown('[a](https://a.example/x) [b](mailto:oncall@example.com) [c](/incidents/42) [d](javascript:alert(1)) [e](data:text/html,x) [f](&#106;avascript:alert(1)) [g](vbscript:x)');
    expect(html).toContain('href="https://a.example/x"');
    expect(html).toContain('href="mailto:oncall@example.com"');
    expect(html).toContain('href="/incidents/42"');
    expect([...html.matchAll(/<a /g)]).toHaveLength(7);
    expect([...html.matchAll(/href=/g)]).toHaveLength(3);
    expect([...html.matchAll(/rel="noopener noreferrer nofollow"/g)]).toHaveLength(7);
  });

  it('never loads an image from another host while reading: it becomes a link that says where it comes from', () => {
    const html = renderMarkdown('![dashboard](https://grafana.example.com/render/p.png) ![](http://tracker.example/p.gif?u=1&v=2) ![x](//evil.example/p.png) ![local](/files/shot.png) ![dots](/.//evil.example/p.png)');
    expect(html).toContain('<a href="https://grafana.example.com/render/p.png" class="sitrep-external-image" title="dashboard" rel="noopener noreferrer nofollow" target="_blank">Show image from grafana.example.com: dashboard</a>');
    expect(html).toContain('>Show image from tracker.example</a>');
    expect(html).toContain('>Show image from evil.example: x</a>');
    expect(html).toContain('<img src="/files/shot.png" alt="local" loading="lazy">');
    expect(html).toContain('<img src="/.//evil.example/p.png" alt="dots" loading="lazy">');
    expect([...html.matchAll(/<img /g)]).toHaveLength(2);
  });

  it('flattens nesting deeper than the browser should lay out, keeping the text', () => {
    const html = renderMarkdown(`${'> '.repeat(500)}deep thought`);
    expect(html).toContain('deep thought');
    expect([...html.matchAll(/<blockquote>/g)].length).toBeLessThanOrEqual(MAX_NESTING);
  });

  it('marks table cells that hold a UTC time, so pages can add the reader’s time', () => {
    expect(renderMarkdown('| at | what |\n|---|---|\n| 2026-11-23 02:13 | paged |')).toContain('<td><time datetime="2026-11-23T02:13:00Z">2026-11-23 02:13</time></td>');
  });

  it('keeps line breaks in status updates', () => {
    expect(renderMarkdown('Update: monitoring.\nNext update by 12:30.', { hardBreaks: true })).toBe('<p>Update: monitoring.<br>\nNext update by 12:30.</p>\n');
    expect(renderMarkdown('one\ntwo')).toBe('<p>one\ntwo</p>\n');
  });

  it('shows text too large or too elaborate to format as plain, escaped text', () => {
    const flood = '- [ ] <b>a</b>\n'.repeat(5_000);
    const html = renderMarkdown(flood);
    expect(html.startsWith('<div class="sitrep-plain">')).toBe(true);
    expect(visibleText(html)).toBe(flood);
    expectSafe(html, flood);
  });
});
