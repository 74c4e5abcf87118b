'use client';

import { useId, useMemo, useState } from 'react';
import { CopyButton } from '@/components/ui/copy-button';
import { commandText, fillCommand, knownValues, type IncidentFacts } from '@/lib/checklists/command-variables';

/**
 * A runbook step's command with its placeholders filled from the incident (the original shows on
 * hover) and a small field for each one Sitrep can't know; Copy copies what is shown.
 */
export function CommandSnippet({ command, incident }: { command: string; incident: IncidentFacts }) {
  const parts = useMemo(() => fillCommand(command, knownValues(incident)), [command, incident]);
  const [typed, setTyped] = useState<Record<string, string>>({});
  const id = useId();
  // Each placeholder Sitrep can't fill, once, with what it could be.
  const open = new Map<string, string[]>();
  for (const part of parts) if (part.kind === 'variable' && part.value === null && !open.has(part.name)) open.set(part.name, part.choices);
  return (
    <div className="relative mt-1">
      <pre className="overflow-x-auto whitespace-pre-wrap break-all rounded bg-zinc-100 p-2 pr-12 font-mono text-xs dark:bg-zinc-800" data-testid="command">
        {parts.map((part, i) =>
          part.kind === 'text' ? (
            <span key={i}>{part.text}</span>
          ) : part.value !== null || typed[part.name]?.trim() ? (
            <mark key={i} title={`${part.original}${part.value !== null ? ' (filled from the incident)' : ''}`} className="rounded bg-sky-100 px-0.5 text-sky-900 dark:bg-sky-950 dark:text-sky-200">
              {typed[part.name]?.trim() || part.value}
            </mark>
          ) : (
            <span key={i} className="rounded bg-amber-100 px-0.5 text-amber-900 dark:bg-amber-950 dark:text-amber-200" title="Fill it in below before copying">
              {part.original}
            </span>
          ),
        )}
      </pre>
      <CopyButton text={commandText(parts, typed)} />
      {open.size ? (
        <div className="mt-1 flex flex-wrap gap-2">
          {[...open].map(([name, choices]) => {
            return (
              <label key={name} className="inline-flex items-center gap-1 font-mono text-[11px] text-zinc-600 dark:text-zinc-400">
                {name}
                <input
                  value={typed[name] ?? ''}
                  onChange={(e) => setTyped((all) => ({ ...all, [name]: e.target.value }))}
                  list={choices.length ? `${id}-${name}` : undefined}
                  className="w-28 rounded border border-zinc-300 bg-white px-1 py-px dark:border-zinc-700 dark:bg-zinc-900"
                  aria-label={`Value for ${name}`}
                />
                {choices.length ? (
                  <datalist id={`${id}-${name}`}>
                    {choices.map((choice) => (
                      <option key={choice} value={choice} />
                    ))}
                  </datalist>
                ) : null}
              </label>
            );
          })}
        </div>
      ) : null}
    </div>
  );
}
