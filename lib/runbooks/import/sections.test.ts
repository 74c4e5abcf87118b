// A long document is read in pieces (sections.ts): the joined tree must be the one a whole read
// gives, positions included, and the cuts must fall only where CommonMark starts afresh.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMarkdownTree, pieces } from './sections';

const SEEDS = path.resolve(import.meta.dirname, '../../../../shared/seeds');
const whole = (text: string) => parseMarkdownTree(text, Number.POSITIVE_INFINITY);
const cuts = (text: string, size: number) => pieces(text, size).slice(1).map((piece) => text.slice(piece.offset).split('\n')[0]);

const tricky = [
  '---',
  'title: Front matter',
  '',
  '# a YAML comment, not a heading',
  'owner: ops',
  '---',
  '',
  '# Database failover',
  '',
  '1. Check replication lag',
  '2. Promote the replica',
  '',
  '<!-- a comment',
  '',
  '# not a heading: still the comment',
  '-->',
  '',
  '## Verify',
  '',
  '```sh',
  '# 1. a numbered comment',
  '',
  '# still code',
  'psql -c "select 1"',
  '```',
  '',
  '<pre>',
  '',
  '# preformatted',
  '</pre>',
  '',
  '## Communicate',
  '',
  '| Who | How |',
  '|---|---|',
  '| Status page | post |',
  '',
  'Setext title',
  '============',
  '',
  '- [ ] Tell the channel',
  '  # inside the item',
  '',
  '# Last section',
  '',
  '> a quote',
  '',
  '# The end',
  '',
].join('\n');

describe('parseMarkdownTree', () => {
  it('cuts only before a heading that follows a blank line, outside front matter, fences and HTML blocks', () => {
    expect(cuts(tricky, 1)).toEqual(['# Database failover', '## Verify', '## Communicate', '# Last section', '# The end']);
  });

  it('gives the tree a whole read gives, positions included', () => {
    for (const size of [1, 40, 200]) expect(parseMarkdownTree(tricky, size)).toEqual(whole(tricky));
  });

  it('reads a long document of list sections in pieces, to the same tree', { timeout: 30_000 }, () => {
    let text = '# Handbook\n\n';
    for (let n = 1; text.length < 20_000; n++) text += `## Phase ${n}\n\n1. Check \`svc-${n}\`\n2. Roll back ${n}\n- [ ] Tell the channel\n\n`;
    expect(pieces(text, 6 * 1024).length).toBeGreaterThan(2);
    expect(parseMarkdownTree(text, 6 * 1024)).toEqual(whole(text));
  });

  it('reads a document with reference definitions whole, so every reference resolves', () => {
    const text = `${tricky}\nSee [the dashboard][dash].\n\n${'## More\n\n- step\n\n'.repeat(50)}[dash]: https://grafana.example.com\n`;
    const tree = parseMarkdownTree(text, 40);
    expect(tree).toEqual(whole(text));
    expect(JSON.stringify(tree)).toContain('"type":"linkReference"');
  });

  it.skipIf(!existsSync(SEEDS))('reads the seed playbooks in pieces to the trees they have whole (../shared/seeds)', { timeout: 30_000 }, () => {
    const files = readdirSync(SEEDS).filter((name) => name.endsWith('.txt'));
    expect(files.length).toBeGreaterThan(0);
    for (const name of files) {
      const text = readFileSync(path.join(SEEDS, name), 'utf8').replace(/\r\n?/g, '\n');
      expect(parseMarkdownTree(text, 100), name).toEqual(whole(text));
    }
  });
});
