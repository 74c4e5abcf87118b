import { Fragment } from 'react';

// Imported step titles keep their inline Markdown: `code` spans and [links](https://…). This
// renders exactly those two as elements (no HTML is ever interpreted), everything else as text.
const INLINE = /(`+)([\s\S]*?[^`])\1(?!`)|\[([^\]\n]{1,300})\]\(((?:https?:\/\/|\/)[^\s)]{1,2000})\)/g;

/** The title as a person reads it: "Check the [dashboard](…)" → "Check the dashboard". */
export function plainStepTitle(title: string): string {
  return title.replace(INLINE, (_match, _ticks: string | undefined, code: string | undefined, label: string | undefined) => (code !== undefined ? code.trim() : (label ?? '')));
}

export function StepTitle({ title }: { title: string }) {
  const parts: React.ReactNode[] = [];
  let at = 0;
  for (const match of title.matchAll(INLINE)) {
    if (match.index > at) parts.push(title.slice(at, match.index));
    const [, , code, label, href] = match;
    if (code !== undefined) {
      parts.push(
        <code key={match.index} className="rounded bg-zinc-100 px-1 font-mono text-[0.85em] dark:bg-zinc-800">
          {code.trim()}
        </code>,
      );
    } else {
      parts.push(
        <a key={match.index} href={href} className="underline" target={href!.startsWith('/') ? undefined : '_blank'} rel="noreferrer noopener">
          {label}
        </a>,
      );
    }
    at = match.index + match[0].length;
  }
  if (at < title.length) parts.push(title.slice(at));
  return <Fragment>{parts}</Fragment>;
}
