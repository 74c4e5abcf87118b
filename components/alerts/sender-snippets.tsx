'use client';

import { CopyButton } from '@/components/ui/copy-button';
import { senderSnippets } from '@/lib/alerts/sender-config';
import type { AlertSourceKind } from '@/lib/alerts/schema';

/** How to point the sender at this source: copy-paste configuration, with the token when it is known. */
export function SenderSnippets({ kind, baseUrl, token }: { kind: AlertSourceKind; baseUrl: string; token?: string }) {
  return (
    <div className="space-y-3">
      {senderSnippets(kind, baseUrl, token).map((snippet) => (
        <section key={snippet.title} aria-label={snippet.title} className="space-y-1">
          <h3 className="text-xs font-semibold text-zinc-700 dark:text-zinc-300">{snippet.title}</h3>
          <div className="relative">
            <pre className="overflow-x-auto rounded-md bg-zinc-100 p-2 pr-14 font-mono text-xs leading-relaxed text-zinc-800 dark:bg-zinc-950 dark:text-zinc-200">{snippet.text}</pre>
            <CopyButton text={snippet.text} />
          </div>
          <p className="text-xs text-zinc-500">{snippet.help}</p>
        </section>
      ))}
    </div>
  );
}
