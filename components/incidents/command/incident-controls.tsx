'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { inputClasses } from '@/components/ui/field';
import { LoadFailed, loadOnUse, useLoadOnUse } from '@/components/ui/load-on-use';
import { useServerAction } from '@/components/ui/use-server-action';
import { useIncidentState } from '@/components/incidents/command/incident-state';
import { acknowledgeIncidentAction, updateIncidentAction } from '@/lib/incidents/actions';
import { allowedNextStatuses, isOpen, type IncidentStatus } from '@/lib/incidents/lifecycle';
import type { IncidentDto } from '@/lib/incidents/schema';

// The resolve dialog loads when someone first chooses "resolved…" or points at the status menu.
const loadResolveDialog = loadOnUse(() => import('@/components/incidents/command/resolve-dialog').then((module) => module.ResolveDialog));

type Severity = { key: string; name: string };

/** Acknowledge, move the status (resolving asks for the resolution update), change the severity. */
export function IncidentControls({ severities, hasPublicUpdates }: { severities: Severity[]; hasPublicUpdates: boolean }) {
  const { incident, apply } = useIncidentState();
  const { run, pending, error, fieldErrors } = useServerAction<IncidentDto>();
  const [status, setStatus] = useState<IncidentStatus | ''>('');
  const [statusReason, setStatusReason] = useState('');
  // null = the incident's current severity, which can change under us (live refresh).
  const [severityChoice, setSeverityChoice] = useState<string | null>(null);
  const severity = severityChoice ?? incident.severity;
  const setSeverity = (value: string) => setSeverityChoice(value === incident.severity ? null : value);
  const [severityReason, setSeverityReason] = useState('');
  const [resolving, setResolving] = useState(false);
  const resolveDialog = useLoadOnUse(loadResolveDialog);
  const ResolveDialog = resolveDialog.loaded;
  const reopening = status !== '' && !isOpen(incident.status) && isOpen(status);
  const next = allowedNextStatuses(incident.status);

  function chooseStatus(value: IncidentStatus | '') {
    // Resolving is a moment to tell people: it has a dialog of its own with the resolution update.
    if (value === 'resolved') {
      setStatus('');
      setResolving(true);
      resolveDialog.load();
      return;
    }
    setStatus(value);
  }

  return (
    <div className="space-y-1.5">
      <div className="flex flex-wrap items-center gap-1.5">
        {!incident.times.acknowledgedAt && isOpen(incident.status) ? (
          <Button variant="primary" className="px-2.5 py-1" disabled={pending} onClick={() => run(() => acknowledgeIncidentAction(null, { number: incident.number }), apply)}>
            Acknowledge
          </Button>
        ) : null}
        <form
          className="flex flex-wrap items-center gap-1.5"
          aria-label="Change status"
          onSubmit={(e) => {
            e.preventDefault();
            if (!status) return;
            run(
              () => updateIncidentAction(null, { number: incident.number, version: incident.version, status, reason: statusReason || undefined }),
              (updated) => {
                apply(updated);
                setStatus('');
                setStatusReason('');
              },
            );
          }}
        >
          <label className="sr-only" htmlFor="status-select">
            Move status to
          </label>
          <select id="status-select" data-shortcut="status" aria-keyshortcuts="s" onFocus={resolveDialog.preload} onPointerEnter={resolveDialog.preload} value={status} onChange={(e) => chooseStatus(e.target.value as IncidentStatus)} className={`${inputClasses} w-auto py-1`}>
            <option value="">Move to…</option>
            {next.map((s) => (
              <option key={s} value={s}>
                {!isOpen(incident.status) && isOpen(s) ? `Reopen as ${s}` : s === 'resolved' ? 'resolved…' : s}
              </option>
            ))}
          </select>
          {status ? (
            <>
              <label className="sr-only" htmlFor="status-reason">
                {reopening ? 'Reason for reopening (required)' : 'Reason (optional)'}
              </label>
              <input
                id="status-reason"
                value={statusReason}
                onChange={(e) => setStatusReason(e.target.value)}
                placeholder={reopening ? 'Why reopen? (required)' : 'Reason (optional)'}
                required={reopening}
                aria-invalid={Boolean(fieldErrors.reason) || undefined}
                className={`${inputClasses} w-48 py-1`}
              />
              <Button type="submit" className="px-2.5 py-1" disabled={pending}>
                Apply
              </Button>
            </>
          ) : null}
        </form>
        <form
          className="flex flex-wrap items-center gap-1.5"
          aria-label="Change severity"
          onSubmit={(e) => {
            e.preventDefault();
            run(
              () => updateIncidentAction(null, { number: incident.number, version: incident.version, severity, reason: severityReason || undefined }),
              (updated) => {
                apply(updated);
                setSeverityReason('');
                setSeverityChoice(null);
              },
            );
          }}
        >
          <label className="sr-only" htmlFor="severity-select">
            Severity
          </label>
          <select id="severity-select" data-shortcut="severity" value={severity} onChange={(e) => setSeverity(e.target.value)} className={`${inputClasses} w-auto py-1`}>
            {severities.map((s) => (
              <option key={s.key} value={s.key}>
                {s.key} · {s.name}
              </option>
            ))}
          </select>
          {severity !== incident.severity ? (
            <>
              <label className="sr-only" htmlFor="severity-reason">
                Why the severity changes
              </label>
              <input id="severity-reason" value={severityReason} onChange={(e) => setSeverityReason(e.target.value)} placeholder="Why? e.g. errors now above 25%" className={`${inputClasses} w-48 py-1`} />
              <Button type="submit" className="px-2.5 py-1" disabled={pending}>
                Change severity
              </Button>
            </>
          ) : null}
        </form>
      </div>
      <p role="alert" aria-live="assertive" className="text-sm text-red-600 empty:hidden dark:text-red-400">
        {error ?? (resolving && resolveDialog.failed ? 'The resolve dialog did not load; check the connection and choose “resolved…” again.' : null)}
      </p>
      {resolving && ResolveDialog ? <ResolveDialog hasPublicUpdates={hasPublicUpdates} onClose={() => setResolving(false)} /> : null}
    </div>
  );
}

const loadDetailsForm = loadOnUse(() => import('@/components/incidents/command/details-form').then((module) => module.DetailsForm));

/** "Edit details" (or `e`): the form opens in place of the button. */
export function IncidentDetailsForm() {
  const form = useLoadOnUse(loadDetailsForm);
  const [open, setOpen] = useState(false);
  const { load, preload } = form;
  const DetailsForm = form.loaded;
  if (open && DetailsForm) return <DetailsForm onClose={() => setOpen(false)} />;
  return (
    <span className="relative">
      <Button
        variant="ghost"
        className="px-2 py-1 text-xs"
        data-shortcut="edit"
        aria-keyshortcuts="e"
        aria-describedby={form.failed ? 'details-load-failed' : undefined}
        onPointerEnter={preload}
        onFocus={preload}
        onClick={() => {
          setOpen(true);
          load();
        }}
      >
        Edit details
      </Button>
      {form.failed ? <LoadFailed id="details-load-failed" what="The form" /> : null}
    </span>
  );
}
