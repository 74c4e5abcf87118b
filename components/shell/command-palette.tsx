'use client';

// The command palette (Ctrl/⌘+K) and the single-key shortcuts with their `?` overlay. The list
// itself (palette-list.tsx, on cmdk) loads the first time the palette opens.
// Commands on the current incident reach the command view through the elements it marks with
// data-shortcut and through openPanel(), so the palette holds none of the view's state.

import { usePathname, useRouter } from 'next/navigation';
import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { openPanel } from '@/components/incidents/command/open-panel';
import { goTo, isTyping, shortcutList, shortcutTarget, triggerShortcut } from '@/components/shell/keyboard';
import type { IncidentItem, NavItem, PaletteAction } from '@/components/shell/palette-list';

// cmdk comes with the list, the first time the palette opens.
const PaletteList = lazy(() => import('@/components/shell/palette-list').then((module) => ({ default: module.PaletteList })));
// "g" then a key, by the page it goes to.
const goKeys = Object.fromEntries(Object.entries(goTo).map(([key, to]) => [to.href, key]));

const GO_WINDOW_MS = 1_500;

const dialogClasses =
  'm-auto w-[min(40rem,calc(100vw-1.5rem))] rounded-lg border border-zinc-200 bg-white p-0 text-zinc-900 shadow-2xl backdrop:bg-zinc-950/50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100';
const inputClasses = 'w-full border-b border-zinc-200 bg-transparent px-3 py-2.5 text-sm outline-none placeholder:text-zinc-500 dark:border-zinc-800';

/** The incident the page is about (/incidents/42 and below), if any. */
function currentIncident(pathname: string): number | null {
  const match = /^\/incidents\/(\d+)(?:\/|$)/.exec(pathname);
  return match ? Number(match[1]) : null;
}

export function CommandPalette({ nav, canWork }: { nav: NavItem[]; canWork: boolean }) {
  const router = useRouter();
  const pathname = usePathname();
  const palette = useRef<HTMLDialogElement>(null);
  const help = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState('');
  const [incidents, setIncidents] = useState<IncidentItem[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const pendingGo = useRef<number>(0);
  const number = currentIncident(pathname);
  const onCommandView = number !== null && pathname === `/incidents/${number}`;

  const show = useCallback(() => {
    setSearch('');
    setOpen(true);
    if (!palette.current?.open) palette.current?.showModal();
    // Read afresh each time: the list is small and a palette must not offer a stale title.
    fetch('/api/v1/incidents?limit=100', { headers: { accept: 'application/json' } })
      .then(async (response) => {
        if (!response.ok) throw new Error(`the incidents could not be listed (HTTP ${response.status})`);
        const body = (await response.json()) as { items: IncidentItem[] };
        setIncidents(body.items);
        setLoadError(null);
      })
      .catch((error: unknown) => setLoadError(error instanceof Error ? error.message : String(error)));
  }, []);

  const hide = useCallback(() => {
    palette.current?.close();
    setOpen(false);
  }, []);

  const run = useCallback(
    (what: () => void) => {
      hide();
      // After the dialog has closed and given the focus back, so the target can take it.
      requestAnimationFrame(what);
    },
    [hide],
  );

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.metaKey || event.ctrlKey) && !event.altKey && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        if (palette.current?.open) hide();
        else show();
        return;
      }
      if (event.metaKey || event.ctrlKey || event.altKey || isTyping(event.target)) return;
      if (palette.current?.open || help.current?.open || document.querySelector('dialog[open]')) return;
      const now = Date.now();
      if (pendingGo.current && now - pendingGo.current < GO_WINDOW_MS && goTo[event.key]) {
        pendingGo.current = 0;
        event.preventDefault();
        // "g d" is not "d" (declare): nothing after this listener sees the key.
        event.stopImmediatePropagation();
        router.push(goTo[event.key]!.href);
        return;
      }
      pendingGo.current = 0;
      switch (event.key) {
        case '?':
          event.preventDefault();
          help.current?.showModal();
          return;
        case 'g':
          pendingGo.current = now;
          return;
        case 'n':
          if (shortcutTarget('note')) {
            event.preventDefault();
            triggerShortcut('note');
          }
          return;
        case '/':
          if (shortcutTarget('timeline-search')) {
            event.preventDefault();
            triggerShortcut('timeline-search');
          }
          return;
        case 's':
          if (shortcutTarget('status')) {
            event.preventDefault();
            triggerShortcut('status');
          }
          return;
        case 'e':
          if (shortcutTarget('edit')) {
            event.preventDefault();
            triggerShortcut('edit');
          }
          return;
      }
    };
    // In the capture phase, before the page's own single-key listeners (the declare dialog's d).
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [hide, router, show]);

  const placeholder = onCommandView ? `Run a command on INC-${number}, or jump to an incident or page…` : 'Jump to an incident or a page…';
  const go = (href: string) => router.push(href);
  const declare = () => triggerShortcut('declare');
  const showHelp = () => help.current?.showModal();
  const incidentActions: PaletteAction[] =
    onCommandView && canWork
      ? [
          { id: 'note', label: 'Write a note', keywords: ['note', 'timeline', 'comment'], keys: ['n'], act: () => triggerShortcut('note') },
          { id: 'status', label: 'Change status…', keywords: ['status', 'resolve', 'monitoring', 'identified', 'mitigate'], keys: ['s'], act: () => triggerShortcut('status') },
          { id: 'severity', label: 'Change severity…', keywords: ['severity', 'sev', 'escalate', 'downgrade'], act: () => triggerShortcut('severity') },
          { id: 'role-commander', label: 'Assign Incident Commander…', keywords: ['role', 'assign', 'ic', 'commander'], act: () => triggerShortcut('role-commander') },
          { id: 'role-tech_lead', label: 'Assign Tech Lead…', keywords: ['role', 'assign', 'tech lead'], act: () => triggerShortcut('role-tech_lead') },
          { id: 'role-comms_lead', label: 'Assign Communications Lead…', keywords: ['role', 'assign', 'comms'], act: () => triggerShortcut('role-comms_lead') },
          { id: 'role-scribe', label: 'Assign Scribe…', keywords: ['role', 'assign', 'scribe'], act: () => triggerShortcut('role-scribe') },
          { id: 'page', label: 'Page someone…', keywords: ['page', 'on-call', 'escalate', 'call'], act: () => triggerShortcut('page') },
          { id: 'runbook', label: 'Attach a runbook…', keywords: ['runbook', 'checklist', 'attach'], act: () => openPanel('checklists') },
          { id: 'update', label: 'Post an update…', keywords: ['update', 'status page', 'communicate', 'comms'], act: () => openPanel('updates') },
          { id: 'fire', label: 'Fire a remediation action…', keywords: ['remediation', 'fire', 'run', 'webhook', 'action'], act: () => openPanel('remediation') },
          { id: 'edit', label: 'Edit details…', keywords: ['edit', 'title', 'summary', 'services', 'private'], keys: ['e'], act: () => triggerShortcut('edit') },
          { id: 'search', label: 'Search the timeline', keywords: ['search', 'find', 'filter'], keys: ['/'], act: () => triggerShortcut('timeline-search') },
        ]
      : [];

  return (
    <>
      <dialog ref={palette} aria-label="Command palette" className={dialogClasses} onClose={() => setOpen(false)} onClick={(event) => event.target === palette.current && hide()}>
        {open ? (
          <Suspense
            fallback={
              // Until cmdk has loaded (the first time only): typing is kept, and carries over.
              <input
                value={search}
                onChange={(event) => setSearch(event.target.value)}
                autoFocus
                aria-label="Command palette search"
                placeholder={placeholder}
                className={inputClasses}
              />
            }
          >
            <PaletteList
              search={search}
              setSearch={setSearch}
              placeholder={placeholder}
              inputClassName={inputClasses}
              number={number}
              incidentActions={incidentActions}
              incidents={incidents}
              loadError={loadError}
              nav={nav}
              goKeys={goKeys}
              canWork={canWork}
              run={run}
              go={go}
              declare={declare}
              showHelp={showHelp}
            />
          </Suspense>
        ) : null}
      </dialog>
      <dialog ref={help} aria-labelledby="shortcuts-title" className={dialogClasses} onClick={(event) => event.target === help.current && help.current?.close()}>
        <div className="p-4">
          <div className="mb-2 flex items-center justify-between">
            <h2 id="shortcuts-title" className="text-base font-semibold">
              Keyboard shortcuts
            </h2>
            <button type="button" onClick={() => help.current?.close()} aria-label="Close keyboard shortcuts" className="rounded px-2 py-0.5 text-zinc-500 hover:bg-zinc-100 dark:hover:bg-zinc-800">
              ✕
            </button>
          </div>
          <p className="mb-2 text-xs text-zinc-500">None of them fires while you type in a field.</p>
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1.5 text-sm">
            {shortcutList.map((shortcut) => (
              <div key={shortcut.what} className="contents">
                <dt className="flex gap-0.5">
                  {shortcut.keys.map((key, index) => (
                    <span key={key + index} className="flex items-center gap-0.5">
                      {index > 0 && shortcut.keys[0] === 'g' ? <span className="text-xs text-zinc-500">then</span> : index > 0 ? <span className="text-xs text-zinc-500">+</span> : null}
                      <kbd className="rounded border border-zinc-300 bg-zinc-50 px-1.5 font-mono text-xs dark:border-zinc-700 dark:bg-zinc-800">{key}</kbd>
                    </span>
                  ))}
                </dt>
                <dd>{shortcut.what}</dd>
              </div>
            ))}
          </dl>
        </div>
      </dialog>
    </>
  );
}
