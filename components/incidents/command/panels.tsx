'use client';

import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { OPEN_PANEL_EVENT } from '@/components/incidents/command/open-panel';

export type PanelTone = 'neutral' | 'good' | 'warning' | 'danger';

export type Panel = {
  /** Also the URL hash that opens it (`/incidents/42#remediation`) and the palette's name for it. */
  id: string;
  label: string;
  /** What it says while closed: "7/12", "1 retrying", a countdown. */
  counter?: ReactNode;
  tone?: PanelTone;
  content: ReactNode;
};

const tones: Record<PanelTone, string> = {
  neutral: 'text-zinc-500 dark:text-zinc-400',
  good: 'text-emerald-700 dark:text-emerald-400',
  warning: 'font-medium text-amber-700 dark:text-amber-400',
  danger: 'font-medium text-red-600 dark:text-red-400',
};


/**
 * The command view's panels (checklists, remediation, updates, alerts, pages, members…): a bar of
 * buttons that say how each stands while closed, and one panel open at a time beside the
 * timeline on wide screens (xl), over it on narrower ones. The timeline stays where it is.
 */
export function Panels({ panels, children }: { panels: Panel[]; children: ReactNode }) {
  const [open, setOpen] = useState<string | null>(null);
  // The panels opened so far: a panel's content is rendered (and its code fetched, lazy-panels.tsx)
  // when it is first opened, and then stays mounted.
  const [opened, setOpened] = useState<ReadonlySet<string>>(() => new Set());
  if (open !== null && !opened.has(open)) setOpened(new Set([...opened, open]));
  const opener = useRef<HTMLButtonElement | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const current = panels.find((panel) => panel.id === open) ?? null;

  const show = useCallback(
    (id: string | null) => {
      if (id !== null && !panels.some((panel) => panel.id === id)) return;
      setOpen(id);
      if (id) window.history.replaceState(null, '', `#${id}`);
      else if (window.location.hash) window.history.replaceState(null, '', window.location.pathname + window.location.search);
    },
    [panels],
  );

  // A link to /incidents/42#remediation opens that panel; the palette opens them by event.
  useEffect(() => {
    const fromHash = () => {
      const id = window.location.hash.slice(1);
      if (id && panels.some((panel) => panel.id === id)) setOpen(id);
    };
    fromHash();
    const onOpen = (event: Event) => show((event as CustomEvent<string>).detail);
    window.addEventListener(OPEN_PANEL_EVENT, onOpen);
    window.addEventListener('hashchange', fromHash);
    return () => {
      window.removeEventListener(OPEN_PANEL_EVENT, onOpen);
      window.removeEventListener('hashchange', fromHash);
    };
  }, [panels, show]);

  // The opened panel takes the focus; closing gives it back to the button that opened it.
  useEffect(() => {
    if (open) heading.current?.focus();
  }, [open]);

  const close = () => {
    show(null);
    opener.current?.focus();
  };

  return (
    <div className="min-w-0">
      <nav aria-label="Incident panels" className="mb-2 flex flex-wrap gap-1">
        {panels.map((panel) => {
          const active = panel.id === open;
          return (
            <button
              key={panel.id}
              type="button"
              aria-expanded={active}
              aria-controls={`panel-${panel.id}`}
              data-panel={panel.id}
              onClick={(event) => {
                opener.current = event.currentTarget;
                show(active ? null : panel.id);
              }}
              className={`inline-flex items-center gap-1.5 rounded-md border px-2 py-1 text-xs transition-colors ${
                active
                  ? 'border-sky-500 bg-sky-50 text-sky-900 dark:border-sky-500 dark:bg-sky-950 dark:text-sky-100'
                  : 'border-zinc-200 bg-white text-zinc-700 hover:bg-zinc-100 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-300 dark:hover:bg-zinc-800'
              }`}
            >
              <span className="font-medium">{panel.label}</span>
              {panel.counter !== undefined && panel.counter !== null ? <span className={`tabular-nums ${tones[panel.tone ?? 'neutral']}`}>{panel.counter}</span> : null}
            </button>
          );
        })}
      </nav>
      <div className={current ? 'xl:grid xl:grid-cols-[minmax(0,1fr)_24rem] xl:gap-4' : ''}>
        <div className="min-w-0">{children}</div>
        {/* A panel stays mounted once opened (an update being written survives closing it); one is shown. */}
        {panels.map((panel) => (
          <section
            key={panel.id}
            id={`panel-${panel.id}`}
            hidden={panel.id !== open}
            aria-labelledby={`panel-${panel.id}-title`}
            onKeyDown={(event) => {
              if (event.key === 'Escape') {
                event.stopPropagation();
                close();
              }
            }}
            className="fixed inset-0 z-30 flex flex-col bg-white shadow-2xl sm:inset-y-0 sm:left-auto sm:right-0 sm:w-[28rem] sm:border-l sm:border-zinc-200 dark:bg-zinc-900 sm:dark:border-zinc-800 xl:static xl:z-auto xl:w-auto xl:self-start xl:rounded-lg xl:border xl:shadow-none [&[hidden]]:hidden"
          >
            <header className="flex items-center justify-between gap-2 border-b border-zinc-200 px-4 py-2.5 dark:border-zinc-800">
              <h2 id={`panel-${panel.id}-title`} ref={panel.id === open ? heading : undefined} tabIndex={-1} className="text-sm font-semibold outline-none">
                {panel.label}
                {panel.counter !== undefined && panel.counter !== null ? <span className={`ml-2 text-xs font-normal tabular-nums ${tones[panel.tone ?? 'neutral']}`}>{panel.counter}</span> : null}
              </h2>
              <button type="button" onClick={close} aria-label={`Close ${panel.label}`} className="rounded px-2 py-0.5 text-zinc-500 hover:bg-zinc-100 dark:hover:bg-zinc-800">
                ✕
              </button>
            </header>
            <div className="min-h-0 flex-1 overflow-y-auto p-4 xl:max-h-[calc(100dvh-9rem)]">{opened.has(panel.id) ? panel.content : null}</div>
          </section>
        ))}
      </div>
    </div>
  );
}
