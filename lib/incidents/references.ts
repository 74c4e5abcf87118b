// Words in notes, runbooks and reviews that point somewhere: `INC-12` links to that incident's
// command view, `@priya` (or `@priya@example.com`) marks a mention. Rendered server-side by the
// Markdown pipeline (lib/platform/markdown), outside links and code, and never on the public
// status page (its readers can't open an incident). Only the text decides what a word becomes,
// so rendered notes stay cacheable; who `@priya` is gets resolved when the note is posted
// (lib/timeline/mentions.ts).
import type { TextReferences } from '@/lib/platform/markdown/render';

/** A mention handle: an e-mail's local part (dots only between characters), optionally the whole address. */
const HANDLE = String.raw`[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*(?:@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)?`;

/** `@handle` not preceded by a word character, a dot, `@` or `/` (so `ana@example.com` and `/a/@b` are no mentions). */
export const MENTION = new RegExp(String.raw`(?<![\w.@/-])@(${HANDLE})`, 'g');

export const incidentReferences: TextReferences = {
  name: 'incident-references-1',
  pattern: new RegExp(String.raw`\bINC-(\d{1,9})\b|(?<![\w.@/-])@(${HANDLE})`, 'g'),
  render(match) {
    if (match[1] !== undefined) return { kind: 'link', href: `/incidents/${Number(match[1])}`, text: match[0] };
    return { kind: 'mention', text: match[0] };
  },
};

/** The handles mentioned in a text, lower-cased, each once, outside code spans and fences. */
export function mentionedHandles(text: string): string[] {
  const prose = text.replace(/```[\s\S]*?(?:```|$)|~~~[\s\S]*?(?:~~~|$)|`[^`\n]*`/g, ' ');
  return [...new Set([...prose.matchAll(MENTION)].map((m) => m[1]!.toLowerCase()))];
}
