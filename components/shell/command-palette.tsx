'use client';

// The command palette (Ctrl/⌘+K) and the single-key shortcuts with their `?` overlay. Built on
// cmdk (an accessible combobox + listbox with fuzzy ranking) rather than a hand-rolled list.
// Commands on the current incident reach the command view through the elements it marks with
// data-shortcut and through openPanel(), so the palette holds none of the view's state.

import { Command } from 'cmdk';
import { usePathname, useRouter } from 'next/navigation';
import { useCallback, useEffect, useRef, useState } from 'react';
import { openPanel } from '@/components/incidents/command/panels';
import { goTo, isTyping, shortcutList, shortcutTarget, triggerShortcut } from '@/components/shell/keyboard';

type NavItem = { href: string; label: string };
type IncidentItem = { number: number; key: string; title: string; status: string; severity: string };

const GO_WINDOW_MS = 1_500;

const dialogClasses =
  'm-auto w-[min(40rem,calc(100vw-1.5rem))] rounded-lg border border-zinc-200 bg-white p-0 text-zinc-900 shadow-2xl backdrop:bg-zinc-950/50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100';
const itemClasses =
  'flex cursor-pointer items-center gap-2 rounded px-2 py-1.5 text-sm data-[selected=true]:bg-sky-100 data-[selected=true]:text-sky-950 dark:data-[selected=true]:bg-sky-900 dark:data-[selected=true]:text-sky-50';
const groupClasses = '[&_[cmdk-group-heading]]:px-2 [&_[cmdk-group-heading]]:pb-1 [&_[cmdk-group-heading]]:pt-2 [&_[cmdk-group-heading]]:text-xs [&_[cmdk-group-heading]]:font-medium [&_[cmdk-group-heading]]:text-zinc-500';

function Keys({ keys }: { keys: string[] }) {
  return (
    <span className="ml-auto flex shrink-0 gap-0.5">
      {keys.map((key) => (
        <kbd key={key} className="rounded border border-zinc-300 bg-zinc-50 px-1 font-mono text-[11px] text-zinc-600 dark:border-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">
          {key}
        </kbd>
      ))}
    </span>
  );
}

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

  const typedNumber = /^(?:inc-?)?(\d{1,9})$/i.exec(search.trim())?.[1];
  const incidentActions: { id: string; label: string; keywords: string[]; keys?: string[]; act: () => void }[] =
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
          <Command label="Command palette" loop className="flex max-h-[min(32rem,80dvh)] flex-col">
            <Command.Input
              value={search}
              onValueChange={setSearch}
              autoFocus
              placeholder={onCommandView ? `Run a command on INC-${number}, or jump to an incident or page…` : 'Jump to an incident or a page…'}
              className="w-full border-b border-zinc-200 bg-transparent px-3 py-2.5 text-sm outline-none placeholder:text-zinc-500 dark:border-zinc-800"
            />
            <Command.List className="min-h-0 flex-1 overflow-y-auto p-1.5">
              <Command.Empty className="px-2 py-3 text-sm text-zinc-500">Nothing matches “{search}”.</Command.Empty>
              {incidentActions.length ? (
                <Command.Group heading={`INC-${number}`} className={groupClasses}>
                  {incidentActions.map((action) => (
                    <Command.Item key={action.id} value={`${action.label} ${action.id}`} keywords={action.keywords} onSelect={() => run(action.act)} className={itemClasses}>
                      {action.label}
                      {action.keys ? <Keys keys={action.keys} /> : null}
                    </Command.Item>
                  ))}
                </Command.Group>
              ) : null}
              {typedNumber ? (
                <Command.Group heading="Go to" className={groupClasses} forceMount>
                  <Command.Item value={`go to INC-${typedNumber} ${search}`} forceMount onSelect={() => run(() => router.push(`/incidents/${typedNumber}`))} className={itemClasses}>
                    Open INC-{typedNumber}
                  </Command.Item>
                </Command.Group>
              ) : null}
              <Command.Group heading="Incidents" className={groupClasses}>
                {incidents === null && !loadError ? <Command.Loading>Loading incidents…</Command.Loading> : null}
                {loadError ? <p className="px-2 py-1 text-xs text-red-600 dark:text-red-400">Incidents not listed: {loadError}.</p> : null}
                {(incidents ?? []).map((incident) => (
                  <Command.Item
                    key={incident.number}
                    value={`${incident.key} ${incident.title}`}
                    keywords={[String(incident.number), incident.status, incident.severity]}
                    onSelect={() => run(() => router.push(`/incidents/${incident.number}`))}
                    className={itemClasses}
                  >
                    <span className="font-mono text-xs text-zinc-500">{incident.key}</span>
                    <span className="min-w-0 flex-1 truncate">{incident.title}</span>
                    <span className="shrink-0 text-xs text-zinc-500">
                      {incident.severity} · {incident.status}
                    </span>
                  </Command.Item>
                ))}
              </Command.Group>
              <Command.Group heading="Pages" className={groupClasses}>
                {nav.map((item) => (
                  <Command.Item key={item.href} value={`page ${item.label}`} keywords={[item.href]} onSelect={() => run(() => router.push(item.href))} className={itemClasses}>
                    {item.label}
                    {Object.entries(goTo).find(([, to]) => to.href === item.href) ? <Keys keys={['g', Object.entries(goTo).find(([, to]) => to.href === item.href)![0]]} /> : null}
                  </Command.Item>
                ))}
                <Command.Item value="page Status page public" onSelect={() => run(() => router.push('/status'))} className={itemClasses}>
                  Public status page
                </Command.Item>
                {canWork ? (
                  <Command.Item value="Declare an incident" keywords={['new', 'declare', 'open']} onSelect={() => run(() => triggerShortcut('declare'))} className={itemClasses}>
                    Declare an incident…
                    <Keys keys={['d']} />
                  </Command.Item>
                ) : null}
                <Command.Item value="Keyboard shortcuts help" keywords={['keys', '?']} onSelect={() => run(() => help.current?.showModal())} className={itemClasses}>
                  Keyboard shortcuts
                  <Keys keys={['?']} />
                </Command.Item>
              </Command.Group>
            </Command.List>
          </Command>
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
