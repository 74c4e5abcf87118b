'use client';

import { useState } from 'react';

/** Copies a command to the clipboard; sits in the top-right corner of a <pre>. */
export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  // The accessible name says what is copied; the visible text stays short.
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      aria-label={copied ? 'Copied to the clipboard' : 'Copy the command'}
      className="absolute right-1 top-1 rounded bg-white/80 px-1.5 text-[11px] text-zinc-600 hover:text-zinc-900 dark:bg-zinc-900/80 dark:text-zinc-300"
      onClick={async () => {
        await navigator.clipboard.writeText(text);
        setCopied(true);
        setTimeout(() => setCopied(false), 1500);
      }}
    >
      {copied ? 'Copied' : label}
    </button>
  );
}
