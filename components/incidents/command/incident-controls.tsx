'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { inputClasses } from '@/components/ui/field';
import { acknowledgeIncidentAction, updateIncidentAction } from '@/lib/incidents/actions';
import { allowedNextStatuses, isOpen, type IncidentStatus } from '@/lib/incidents/lifecycle';
import type { IncidentDto } from '@/lib/incidents/schema';
import { useServerAction } from '@/components/ui/use-server-action';

type Severity = { key: string; name: string };

export function IncidentControls({ incident, severities }: { incident: IncidentDto; severities: Severity[] }) {
  const { run, pending, error, fieldErrors } = useServerAction();
  const [status, setStatus] = useState<IncidentStatus | ''>('');
  const [statusReason, setStatusReason] = useState('');
  // null = the incident's current severity, which can change under us (live refresh).
  const [severityChoice, setSeverityChoice] = useState<string | null>(null);
  const severity = severityChoice ?? incident.severity;
  const setSeverity = (value: string) => setSeverityChoice(value === incident.severity ? null : value);
  const [severityReason, setSeverityReason] = useState('');
  const reopening = status !== '' && !isOpen(incident.status) && isOpen(status);
  const next = allowedNextStatuses(incident.status);

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-end gap-2">
        {!incident.times.acknowledgedAt && isOpen(incident.status) ? (
          <Button variant="primary" disabled={pending} onClick={() => run(() => acknowledgeIncidentAction(null, { number: incident.number }))}>
            Acknowledge
          </Button>
        ) : null}
        <form
          className="flex flex-wrap items-end gap-1.5"
          aria-label="Change status"
          onSubmit={(e) => {
            e.preventDefault();
            if (!status) return;
            run(
              () => updateIncidentAction(null, { number: incident.number, version: incident.version, status, reason: statusReason || undefined }),
              () => {
                setStatus('');
                setStatusReason('');
              },
            );
          }}
        >
          <label className="sr-only" htmlFor="status-select">
            Move status to
          </label>
          <select id="status-select" value={status} onChange={(e) => setStatus(e.target.value as IncidentStatus)} className={`${inputClasses} w-auto py-1`}>
            <option value="">Move to…</option>
            {next.map((s) => (
              <option key={s} value={s}>
                {!isOpen(incident.status) && isOpen(s) ? `Reopen as ${s}` : s}
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
                className={`${inputClasses} w-56 py-1`}
              />
              <Button type="submit" disabled={pending}>
                Apply
              </Button>
            </>
          ) : null}
        </form>
        <form
          className="flex flex-wrap items-end gap-1.5"
          aria-label="Change severity"
          onSubmit={(e) => {
            e.preventDefault();
            run(
              () => updateIncidentAction(null, { number: incident.number, version: incident.version, severity, reason: severityReason || undefined }),
              () => {
                setSeverityReason('');
                setSeverityChoice(null);
              },
            );
          }}
        >
          <label className="sr-only" htmlFor="severity-select">
            Severity
          </label>
          <select id="severity-select" value={severity} onChange={(e) => setSeverity(e.target.value)} className={`${inputClasses} w-auto py-1`}>
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
              <input
                id="severity-reason"
                value={severityReason}
                onChange={(e) => setSeverityReason(e.target.value)}
                placeholder="Why? e.g. errors now above 25%"
                className={`${inputClasses} w-56 py-1`}
              />
              <Button type="submit" disabled={pending}>
                Change severity
              </Button>
            </>
          ) : null}
        </form>
      </div>
      <p role="alert" aria-live="assertive" className="text-sm text-red-600 empty:hidden dark:text-red-400">
        {error}
      </p>
    </div>
  );
}

export function IncidentDetailsForm({ incident }: { incident: IncidentDto }) {
  const { run, pending, error, fieldErrors } = useServerAction();
  const [open, setOpen] = useState(false);
  if (!open) {
    return (
      <Button variant="ghost" className="text-xs" onClick={() => setOpen(true)}>
        Edit details
      </Button>
    );
  }
  return (
    <form
      aria-label="Edit incident details"
      className="mt-2 grid gap-2 rounded-md border border-zinc-200 p-3 dark:border-zinc-800"
      onSubmit={(e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        run(
          () =>
            updateIncidentAction(null, {
              number: incident.number,
              version: incident.version,
              title: String(form.get('title') ?? ''),
              summary: String(form.get('summary') ?? ''),
              services: String(form.get('services') ?? '')
                .split(',')
                .map((s) => s.trim())
                .filter(Boolean),
              customerImpact: form.get('customerImpact') === 'on',
              private: form.get('private') === 'on',
            }),
          () => setOpen(false),
        );
      }}
    >
      <label className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
        Title
        <input name="title" defaultValue={incident.title} className={`${inputClasses} mt-1`} aria-invalid={Boolean(fieldErrors.title) || undefined} />
      </label>
      {fieldErrors.title ? <p className="text-xs text-red-600">{fieldErrors.title}</p> : null}
      <label className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
        Summary
        <textarea name="summary" defaultValue={incident.summary} rows={3} className={`${inputClasses} mt-1`} />
      </label>
      <label className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
        Affected services (comma-separated)
        <input name="services" defaultValue={incident.services.join(', ')} className={`${inputClasses} mt-1`} />
      </label>
      <label className="inline-flex items-center gap-2 text-sm">
        <input type="checkbox" name="customerImpact" defaultChecked={incident.customerImpact} />
        Customers are affected
      </label>
      <label className="inline-flex items-center gap-2 text-sm">
        <input type="checkbox" name="private" defaultChecked={incident.private} aria-describedby="details-private-hint" />
        Private
      </label>
      <p id="details-private-hint" className="-mt-1 pl-6 text-xs text-zinc-500">
        Only its members (the declarer, role holders, experts and people added) and admins see a private incident; it leaves the status page, and notification
        channels hear no details. Making it private makes you a member.
      </p>
      <div className="flex gap-2">
        <Button type="submit" disabled={pending}>
          Save details
        </Button>
        <Button variant="ghost" onClick={() => setOpen(false)}>
          Cancel
        </Button>
      </div>
      <p role="alert" className="text-sm text-red-600 empty:hidden dark:text-red-400">
        {error}
      </p>
    </form>
  );
}
