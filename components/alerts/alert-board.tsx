'use client';

import { QueryClient, QueryClientProvider, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { AlertStatusBadge, LabelChips } from '@/components/alerts/alert-status';
import { useLiveAlerts } from '@/components/alerts/use-live-alerts';
import { SeverityBadge } from '@/components/incidents/severity-badge';
import { compactButton, compactInput } from '@/components/alerts/compact';
import { FormOutcome } from '@/components/ui/form-outcome';
import { loadOnUse, useLoadOnUse } from '@/components/ui/load-on-use';
import { RelativeTime } from '@/components/ui/relative-time';
import { useServerAction } from '@/components/ui/use-server-action';
import { acknowledgeAlertAction, linkAlertAction, resolveAlertAction } from '@/lib/alerts/actions';
import { alertKeys, groupAlerts } from '@/lib/alerts/board';
import type { AlertDto } from '@/lib/alerts/schema';

// The declare dialog loads when a Declare incident button is pointed at or pressed, or on `i`.
const loadDeclareFromAlert = loadOnUse(() => import('@/components/alerts/declare-from-alert').then((module) => module.DeclareFromAlert));

type Props = {
  /** The first render's alerts (server-rendered), then kept current from the API. */
  initial: AlertDto[];
  /** The list's query string for GET /api/v1/alerts (the page's filters). */
  query: string;
  canWrite: boolean;
  severities: { key: string; name: string }[];
  openIncidents: { number: number; title: string }[];
};

export function AlertBoard(props: Props) {
  const [client] = useState(() => new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, refetchOnWindowFocus: false, retry: 1 } } }));
  return (
    <QueryClientProvider client={client}>
      <Board {...props} />
    </QueryClientProvider>
  );
}

function isTyping(target: EventTarget | null): boolean {
  const element = target as HTMLElement | null;
  return Boolean(element && (element.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(element.tagName)));
}

function Board({ initial, query, canWrite, severities, openIncidents }: Props) {
  const queryClient = useQueryClient();
  const { data: alerts, isFetching } = useQuery({
    queryKey: alertKeys.list(query),
    queryFn: async () => {
      const response = await fetch(`/api/v1/alerts?${query}`, { headers: { accept: 'application/json' } });
      if (!response.ok) throw new Error(`Could not load alerts (${response.status})`);
      return ((await response.json()) as { items: AlertDto[] }).items;
    },
    initialData: initial,
  });
  const live = useLiveAlerts(() => void queryClient.invalidateQueries({ queryKey: alertKeys.all }));
  const groups = useMemo(() => groupAlerts(alerts), [alerts]);
  const ordered = useMemo(() => groups.flatMap((group) => group.alerts), [groups]);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [declaring, setDeclaring] = useState<AlertDto | null>(null);
  const declareForm = useLoadOnUse(loadDeclareFromAlert);
  const DeclareFromAlert = declareForm.loaded;
  const declare = (alert: AlertDto) => {
    setDeclaring(alert);
    declareForm.load();
  };
  const [linking, setLinking] = useState<string | null>(null);
  const rows = useRef(new Map<string, HTMLLIElement>());
  const action = useServerAction();
  const selectedAlert = ordered.find((alert) => alert.id === selectedId) ?? null;

  const refresh = () => void queryClient.invalidateQueries({ queryKey: alertKeys.all });
  const acknowledge = (alert: AlertDto) => action.run(() => acknowledgeAlertAction(null, { alertId: alert.id }), () => (refresh(), `Acknowledged “${alert.title}”.`));
  const resolve = (alert: AlertDto) => action.run(() => resolveAlertAction(null, { alertId: alert.id }), () => (refresh(), `Resolved “${alert.title}”.`));

  const select = (id: string) => {
    setSelectedId(id);
    rows.current.get(id)?.focus();
  };

  // One or two keystrokes: j/k (or arrows) to move, a acknowledge, r resolve, i declare, l link.
  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    if (isTyping(event.target) || event.metaKey || event.ctrlKey || event.altKey) return;
    // The row holding focus, even when it got focus before the page was interactive (its onFocus
    // never ran, so nothing is selected yet).
    const selected = selectedAlert ?? ordered.find((alert) => rows.current.get(alert.id)?.contains(event.target as Node)) ?? null;
    const index = selected ? ordered.indexOf(selected) : -1;
    const move = (to: number) => {
      const next = ordered[Math.max(0, Math.min(ordered.length - 1, to))];
      if (next) select(next.id);
    };
    const keys: Record<string, () => void> = {
      ArrowDown: () => move(index + 1),
      j: () => move(index + 1),
      ArrowUp: () => move(index - 1),
      k: () => move(index - 1),
    };
    if (canWrite && selected) {
      Object.assign(keys, {
        a: () => selected.status !== 'resolved' && selected.status !== 'acknowledged' && acknowledge(selected),
        r: () => selected.status !== 'resolved' && resolve(selected),
        i: () => !selected.incident && declare(selected),
        l: () => !selected.incident && setLinking(selected.id),
      });
    }
    const run = keys[event.key];
    if (run) {
      event.preventDefault();
      run();
    }
  };

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center justify-between gap-2 text-xs text-zinc-500">
        <p>
          <span className={`mr-1 inline-block size-2 rounded-full ${live ? 'bg-emerald-500' : 'bg-zinc-400'}`} aria-hidden="true" />
          <span role="status">{live ? 'Live' : 'Connecting…'}</span>
          {isFetching ? ' · updating' : ''} · {alerts.length} alert{alerts.length === 1 ? '' : 's'} in {groups.length} group{groups.length === 1 ? '' : 's'}
        </p>
        {canWrite ? (
          <p aria-hidden="true">
            Keys: <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>a</kbd> acknowledge · <kbd>r</kbd> resolve · <kbd>i</kbd> declare incident · <kbd>l</kbd> link to incident
          </p>
        ) : null}
      </div>
      <FormOutcome error={action.error} done={action.done} />
      {groups.length === 0 ? (
        <p className="rounded-lg border border-zinc-200 bg-white p-4 text-sm text-zinc-500 dark:border-zinc-800 dark:bg-zinc-900">No alerts match. When monitoring sends one, it appears here at once.</p>
      ) : (
        <ul aria-label="Alert groups" className="space-y-3" onKeyDown={onKeyDown}>
          {groups.map((group) => (
            <li key={group.groupId} className="rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
              <div className="flex flex-wrap items-center gap-x-2 gap-y-1 border-b border-zinc-100 px-3 py-2 text-xs text-zinc-600 dark:border-zinc-800 dark:text-zinc-400">
                <span className="font-medium text-zinc-800 dark:text-zinc-200">{group.source.name}</span>
                <span className="min-w-0 max-w-full truncate font-mono" title={group.groupKey}>
                  group {group.groupKey}
                </span>
                <span>· {group.alerts.length} alert{group.alerts.length === 1 ? '' : 's'}</span>
                {group.incident ? (
                  <Link href={`/incidents/${group.incident.number}`} className="font-mono font-semibold text-sky-700 hover:underline dark:text-sky-400">
                    {group.incident.key}
                  </Link>
                ) : null}
                {group.routing?.reason ? (
                  <span className="w-full truncate sm:w-auto sm:flex-1" title={group.routing.reason}>
                    {group.routing.reason}
                  </span>
                ) : null}
                {group.routing?.error ? <span className="w-full text-red-700 dark:text-red-400">{group.routing.error}</span> : null}
              </div>
              <ul aria-label={`Alerts of group ${group.title}`} className="divide-y divide-zinc-100 dark:divide-zinc-800">
                {group.alerts.map((alert) => (
                  <AlertRow
                    key={alert.id}
                    alert={alert}
                    selected={alert.id === selectedId}
                    tabIndex={alert.id === (selectedId ?? ordered[0]?.id) ? 0 : -1}
                    rowRef={(element) => {
                      if (element) rows.current.set(alert.id, element);
                      else rows.current.delete(alert.id);
                    }}
                    onFocus={() => setSelectedId(alert.id)}
                    canWrite={canWrite}
                    pending={action.pending}
                    onAcknowledge={() => acknowledge(alert)}
                    onResolve={() => resolve(alert)}
                    onDeclare={() => declare(alert)}
                    onPointDeclare={declareForm.preload}
                    linking={linking === alert.id}
                    onLink={() => setLinking(alert.id)}
                    onLinkDone={(message) => {
                      setLinking(null);
                      refresh();
                      select(alert.id);
                      return message;
                    }}
                    onLinkCancel={() => {
                      setLinking(null);
                      select(alert.id);
                    }}
                    openIncidents={openIncidents}
                  />
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
      {declaring && declareForm.failed ? (
        <p role="alert" className="text-sm text-red-600 dark:text-red-400">
          The declare form did not load; check the connection and press Declare incident (or <kbd>i</kbd>) again.
        </p>
      ) : null}
      {declaring && DeclareFromAlert ? <DeclareFromAlert key={declaring.id} alert={declaring} severities={severities} onClose={() => setDeclaring(null)} /> : null}
    </div>
  );
}

type RowProps = {
  alert: AlertDto;
  selected: boolean;
  tabIndex: number;
  rowRef: (element: HTMLLIElement | null) => void;
  onFocus: () => void;
  canWrite: boolean;
  pending: boolean;
  onAcknowledge: () => void;
  onResolve: () => void;
  onDeclare: () => void;
  onPointDeclare: () => void;
  linking: boolean;
  onLink: () => void;
  onLinkDone: (message: string) => string;
  onLinkCancel: () => void;
  openIncidents: { number: number; title: string }[];
};

function AlertRow({ alert, selected, tabIndex, rowRef, onFocus, canWrite, pending, onAcknowledge, onResolve, onDeclare, onPointDeclare, linking, onLink, onLinkDone, onLinkCancel, openIncidents }: RowProps) {
  const open = alert.status !== 'resolved';
  return (
    <li
      ref={rowRef}
      tabIndex={tabIndex}
      onFocus={(event) => event.target === event.currentTarget && onFocus()}
      aria-label={`${alert.status} alert: ${alert.title}`}
      aria-current={selected ? 'true' : undefined}
      className={`px-3 py-2 outline-none focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-sky-500 ${selected ? 'bg-sky-50/60 dark:bg-sky-950/40' : ''}`}
    >
      <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
        <AlertStatusBadge status={alert.status} />
        <SeverityBadge severity={alert.severity} name={alert.senderSeverity ? `from ${alert.senderSeverity}` : undefined} />
        <span className="min-w-0 flex-1 break-words font-medium">{alert.title}</span>
        <span className="shrink-0 text-xs tabular-nums text-zinc-500" title="Times the sender reported it while it fired">
          ×{alert.count}
        </span>
      </div>
      <div className="mt-1 flex flex-wrap gap-x-3 gap-y-0.5 text-xs text-zinc-500">
        <span>
          first seen <RelativeTime date={alert.firstSeenAt} />
        </span>
        <span>
          last seen <RelativeTime date={alert.lastSeenAt} />
        </span>
        {alert.service ? <span>service {alert.service}</span> : null}
        {alert.firedThisWeek > 1 ? <span className="text-amber-700 dark:text-amber-400">fired {alert.firedThisWeek} times this week</span> : null}
        {alert.silence ? <span>silenced: {alert.silence.comment}</span> : null}
        {alert.acknowledgedBy ? <span>acknowledged by {alert.acknowledgedBy.name}</span> : null}
        {alert.resolvedAt ? <span>resolved {alert.resolvedBy ? `by ${alert.resolvedBy.name}` : 'by its sender'}</span> : null}
        {alert.incident ? (
          <span>
            incident{' '}
            <Link href={`/incidents/${alert.incident.number}`} className="font-mono font-semibold text-sky-700 hover:underline dark:text-sky-400">
              {alert.incident.key}
            </Link>
            {alert.afterResolution ? <span className="ml-1 font-medium text-red-700 dark:text-red-400">fired after it was resolved</span> : null}
          </span>
        ) : null}
        {alert.page ? (
          <span>
            <Link href={`/pages?page=${alert.page.id}`} className="text-sky-700 hover:underline dark:text-sky-400">
              page
            </Link>{' '}
            {alert.page.status}
          </span>
        ) : null}
      </div>
      <div className="mt-1">
        <LabelChips labels={alert.labels} />
      </div>
      {alert.links.length || alert.runbook ? (
        <ul aria-label="Links" className="mt-1 flex flex-wrap gap-x-3 text-xs">
          {alert.runbook ? (
            <li>
              <Link href={`/runbooks/${alert.runbook.id}`} className="text-sky-700 hover:underline dark:text-sky-400">
                Runbook: {alert.runbook.title}
              </Link>
            </li>
          ) : null}
          {alert.links.map((link) => (
            <li key={link.href}>
              <a href={link.href} target="_blank" rel="noreferrer noopener" className="text-sky-700 hover:underline dark:text-sky-400">
                {link.text} ↗
              </a>
            </li>
          ))}
        </ul>
      ) : null}
      {canWrite ? (
        <div className="mt-1.5 flex flex-wrap gap-1.5">
          {open && alert.status !== 'acknowledged' ? (
            <button type="button" className={compactButton('secondary')} disabled={pending} onClick={onAcknowledge} aria-keyshortcuts="a">
              Acknowledge
            </button>
          ) : null}
          {open ? (
            <button type="button" className={compactButton('secondary')} disabled={pending} onClick={onResolve} aria-keyshortcuts="r">
              Resolve
            </button>
          ) : null}
          {!alert.incident ? (
            <>
              <button type="button" className={compactButton('alert')} onClick={onDeclare} onPointerEnter={onPointDeclare} onFocus={onPointDeclare} aria-keyshortcuts="i">
                Declare incident
              </button>
              <button type="button" className={compactButton('secondary')} onClick={onLink} aria-keyshortcuts="l" aria-expanded={linking}>
                Link to incident
              </button>
            </>
          ) : null}
        </div>
      ) : null}
      {linking ? <LinkForm alert={alert} openIncidents={openIncidents} onDone={onLinkDone} onCancel={onLinkCancel} /> : null}
    </li>
  );
}

function LinkForm({ alert, openIncidents, onDone, onCancel }: { alert: AlertDto; openIncidents: { number: number; title: string }[]; onDone: (message: string) => string; onCancel: () => void }) {
  const { run, pending, error } = useServerAction();
  const [incident, setIncident] = useState('');
  const listId = `incidents-for-${alert.id}`;
  return (
    <form
      className="mt-2 flex flex-wrap items-center gap-1.5"
      aria-label={`Link “${alert.title}” to an incident`}
      onSubmit={(event) => {
        event.preventDefault();
        run(() => linkAlertAction(null, { alertId: alert.id, incident }), () => onDone(`Linked “${alert.title}” to INC-${incident.replace(/^INC-/i, '')}.`));
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.stopPropagation();
          onCancel();
        }
      }}
    >
      <label htmlFor={`link-${alert.id}`} className="text-xs text-zinc-600 dark:text-zinc-400">
        Incident
      </label>
      <input id={`link-${alert.id}`} list={listId} autoFocus required value={incident} onChange={(event) => setIncident(event.target.value)} placeholder="42 or INC-42" className={`${compactInput} w-40`} />
      <datalist id={listId}>
        {openIncidents.map((option) => (
          <option key={option.number} value={String(option.number)}>
            INC-{option.number} {option.title}
          </option>
        ))}
      </datalist>
      <button type="submit" className={compactButton('primary')} disabled={pending}>
        Link
      </button>
      <button type="button" className={compactButton('ghost')} onClick={onCancel}>
        Cancel
      </button>
      <FormOutcome error={error} done={null} className="w-full text-xs" />
    </form>
  );
}
