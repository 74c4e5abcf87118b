'use client';

import { useEffect, useState } from 'react';
import type { SafeHtml } from '@/lib/platform/markdown/safe-html';

/** Long enough that a typist's keystrokes are one request, short enough to feel live. */
const PAUSE_MS = 300;

type Rendered = { text: string; html: SafeHtml };

const NOTHING: Rendered = { text: '', html: '' as SafeHtml };

/**
 * A preview of Markdown being written, rendered by the server (`render` asks it) a moment after
 * typing pauses, so the browser never parses Markdown. Until the rendering of the current text
 * arrives the previous one stays, marked `stale` (empty before the first one).
 */
export function useMarkdownPreview(text: string, render: (text: string) => Promise<SafeHtml | null>): { html: SafeHtml; stale: boolean } {
  const [rendered, setRendered] = useState<Rendered>(NOTHING);

  useEffect(() => {
    if (!text || text === rendered.text) return;
    let current = true;
    const timer = setTimeout(() => {
      void render(text).then((html) => {
        // An answer for text that has changed since is dropped: a newer request follows.
        if (current && html !== null) setRendered({ text, html });
      });
    }, PAUSE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [text, rendered.text, render]);

  if (!text) return { html: NOTHING.html, stale: false };
  return { html: rendered.html, stale: rendered.text !== text };
}
