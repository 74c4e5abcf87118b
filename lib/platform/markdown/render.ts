// Markdown → sanitised HTML, once, on the server. Browsers get the HTML string and never parse
// Markdown, so no text a person writes can freeze a viewer's tab; on the server the parser is
// linear (md4c.ts) and the output passes an allowlist (sanitize.ts). Rendered HTML is kept in
// a bounded LRU keyed by a hash of the text, so a page of notes re-renders nothing.
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { parseMarkdownToHtml } from './md4c';
import type { SafeHtml } from './safe-html';
import { sanitizeRenderedHtml, type TextReferences } from './sanitize';

export type { TextReferences } from './sanitize';

/**
 * Longer text is shown as escaped plain text instead of being rendered. Above every field's own
 * limit (the largest, a review section, is 100,000 characters), so it only guards callers that
 * render text no limit checked (older rows, generated documents).
 */
export const MAX_RENDERED_CHARS = 200_000;

/**
 * md4c's HTML can be 20 times its Markdown (a flood of headings, task items or emphasis); past
 * these bounds the text is shown plain too. The allowlist pass costs about 2 µs a tag, so 30,000
 * tags keep a render well inside the 200 ms it may cost; real documents have one tag for every
 * 10–20 characters (a 100,000-character review section: 5,000–10,000 tags) and come out at 1.5–2
 * times their text.
 */
export const MAX_HTML_TAGS = 30_000;
export const MAX_HTML_CHARS = 400_000;

export type MarkdownOptions = {
  /** Every line break is a break, as in a chat message or an e-mail (status updates). */
  hardBreaks?: boolean;
  /** Words in the text that become links or highlights (`INC-12`, `@priya`); see TextReferences. */
  references?: TextReferences;
};

// Bounded by characters held, not entries: a few huge review sections can't push memory up.
const cache = new LRUCache<string, SafeHtml>({
  maxSize: 16_000_000,
  sizeCalculation: (html, key) => html.length + key.length,
  max: 20_000,
});

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

// A table cell that holds only a UTC time ("2026-11-23 02:13", as the generated review tables
// write them) becomes a <time>, so a page can add the reader's local time beside it.
const UTC_CELL = /<td( align="(?:left|center|right)")?>(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2})<\/td>/g;

function markTimeCells(html: string): string {
  return html.replace(UTC_CELL, (_cell, align: string | undefined, day: string, clock: string) => `<td${align ?? ''}><time datetime="${day}T${clock}:00Z">${day} ${clock}</time></td>`);
}

function plain(markdown: string): SafeHtml {
  return `<div class="sitrep-plain">${escapeHtml(markdown)}</div>` as SafeHtml;
}

/** md4c escapes every `<` of the text, so each one left starts a tag. */
function tooManyTags(html: string): boolean {
  let count = 0;
  for (let at = html.indexOf('<'); at !== -1; at = html.indexOf('<', at + 1)) {
    if (++count > MAX_HTML_TAGS) return true;
  }
  return false;
}

function render(markdown: string, options: MarkdownOptions): SafeHtml {
  if (markdown.length > MAX_RENDERED_CHARS) return plain(markdown);
  const html = parseMarkdownToHtml(markdown, { hardBreaks: options.hardBreaks ?? false });
  if (html.length > MAX_HTML_CHARS || tooManyTags(html)) return plain(markdown);
  return markTimeCells(sanitizeRenderedHtml(html, options.references)) as SafeHtml;
}

/** Sanitised HTML for a Markdown text: safe to put into a page as it is. */
export function renderMarkdown(markdown: string, options: MarkdownOptions = {}): SafeHtml {
  if (!markdown) return '' as SafeHtml;
  const key = createHash('sha256')
    .update(options.hardBreaks ? 'b:' : 's:')
    .update(`${options.references?.name ?? ''}:`)
    .update(markdown)
    .digest('base64url');
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const html = render(markdown, options);
  cache.set(key, html);
  return html;
}
