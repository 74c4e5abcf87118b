'use client';

import { useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { inputClasses } from '@/components/ui/field';
import { FormOutcome } from '@/components/ui/form-outcome';
import { useServerAction } from '@/components/ui/use-server-action';
import { useIncidentState } from '@/components/incidents/command/incident-state';
import { draftUpdateAction } from '@/lib/communications/actions';
import type { Audience } from '@/lib/communications/schema';
import { acknowledgeIncidentAction, updateIncidentAction } from '@/lib/incidents/actions';
import { allowedNextStatuses, isOpen, type IncidentStatus } from '@/lib/incidents/lifecycle';
import type { IncidentDto } from '@/lib/incidents/schema';
import { DialogTitle, ModalDialog } from '@/components/ui/modal-dialog';

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
  const reopening = status !== '' && !isOpen(incident.status) && isOpen(status);
  const next = allowedNextStatuses(incident.status);

  function chooseStatus(value: IncidentStatus | '') {
    // Resolving is a moment to tell people: it has a dialog of its own with the resolution update.
    if (value === 'resolved') {
      setStatus('');
      setResolving(true);
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
          <select id="status-select" data-shortcut="status" aria-keyshortcuts="s" value={status} onChange={(e) => chooseStatus(e.target.value as IncidentStatus)} className={`${inputClasses} w-auto py-1`}>
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
        {error}
      </p>
      {resolving ? <ResolveDialog hasPublicUpdates={hasPublicUpdates} onClose={() => setResolving(false)} /> : null}
    </div>
  );
}

/**
 * "Resolve INC-42": the reason and the resolution update, filled in from the template and posted
 * with the change in one transaction, so the status page never keeps saying "Investigating…"
 * after the incident is over.
 */
function ResolveDialog({ hasPublicUpdates, onClose }: { hasPublicUpdates: boolean; onClose: () => void }) {
  const { incident, apply } = useIncidentState();
  const resolve = useServerAction<IncidentDto>();
  const draft = useServerAction<{ body: string; audience: Audience }>();
  const [reason, setReason] = useState('');
  // Customers heard about it (or are affected): they hear it is over; otherwise the team does.
  const [audience, setAudience] = useState<Audience>(!incident.private && (hasPublicUpdates || incident.customerImpact) ? 'public' : 'internal');
  const [post, setPost] = useState(true);
  const [body, setBody] = useState('');
  const dialog = useRef<HTMLDialogElement>(null);
  const asked = useRef(false);

  // Opens as a modal once mounted and asks the server for the resolution template's words.
  const attach = (node: HTMLDialogElement | null) => {
    dialog.current = node;
    if (!node || asked.current) return;
    asked.current = true;
    if (!node.open) node.showModal();
    // showModal focuses the first control, the title's Close button; the reason is where to type.
    node.querySelector('input')?.focus();
    draft.run(() => draftUpdateAction(null, { number: incident.number, template: 'resolved', resolving: true }), (data) => setBody((current) => current || data.body));
  };

  const close = () => {
    dialog.current?.close();
    onClose();
  };

  return (
    <ModalDialog ref={attach} titleId="resolve-title" onClose={onClose}>
      <form
        className="space-y-3 p-4"
        onSubmit={(e) => {
          e.preventDefault();
          resolve.run(
            () =>
              updateIncidentAction(null, {
                number: incident.number,
                version: incident.version,
                status: 'resolved',
                reason: reason || undefined,
                update: post ? { audience, body } : undefined,
              }),
            (updated) => {
              apply(updated);
              close();
            },
          );
        }}
      >
        <DialogTitle id="resolve-title" onClose={close}>
          Resolve {incident.key}
        </DialogTitle>
        <label className="block text-xs font-medium text-zinc-600 dark:text-zinc-400">
          What resolved it? (optional)
          <input value={reason} onChange={(e) => setReason(e.target.value)} className={`${inputClasses} mt-1`} placeholder="Rolled back to 2.13; error rate back to 0.1%" autoFocus />
        </label>
        <fieldset className="space-y-2 rounded-md border border-zinc-200 p-2.5 dark:border-zinc-700">
          <legend className="px-1 text-xs font-medium text-zinc-600 dark:text-zinc-400">Resolution update</legend>
          <label className="inline-flex items-center gap-2 text-sm">
            <input type="checkbox" checked={post} onChange={(e) => setPost(e.target.checked)} />
            Post a resolution update with it
          </label>
          {post ? (
            <>
              <div className="flex flex-wrap gap-3 text-sm" role="radiogroup" aria-label="Audience">
                <label className="inline-flex items-center gap-1">
                  <input type="radio" name="resolve-audience" checked={audience === 'public'} disabled={incident.private} onChange={() => setAudience('public')} />
                  Public (status page)
                </label>
                <label className="inline-flex items-center gap-1">
                  <input type="radio" name="resolve-audience" checked={audience === 'internal'} onChange={() => setAudience('internal')} />
                  Internal
                </label>
              </div>
              <label className="sr-only" htmlFor="resolution-update">
                Resolution update text
              </label>
              <textarea
                id="resolution-update"
                value={body}
                onChange={(e) => setBody(e.target.value)}
                rows={4}
                required
                aria-invalid={Boolean(resolve.fieldErrors['update.body']) || undefined}
                placeholder={draft.pending ? 'Filling in the resolution template…' : 'What customers should know: it is over, what happened, how long.'}
                className={`${inputClasses} text-sm`}
              />
              {hasPublicUpdates && audience === 'internal' ? <p className="text-xs text-amber-700 dark:text-amber-400">The status page shows a public update for this incident; it will say only that the incident is resolved.</p> : null}
            </>
          ) : hasPublicUpdates ? (
            <p className="text-xs text-zinc-500">The status page will say that the incident is resolved.</p>
          ) : null}
        </fieldset>
        <FormOutcome error={resolve.error ?? draft.error} done={null} />
        <div className="flex justify-end gap-2 border-t border-zinc-200 pt-3 dark:border-zinc-800">
          <Button variant="ghost" onClick={close}>
            Cancel
          </Button>
          <Button type="submit" disabled={resolve.pending || (post && !body.trim())}>
            {resolve.pending ? 'Resolving…' : post ? `Resolve and post ${audience === 'public' ? 'to the status page' : 'to the team'}` : 'Resolve'}
          </Button>
        </div>
      </form>
    </ModalDialog>
  );
}

export function IncidentDetailsForm() {
  const { incident, apply } = useIncidentState();
  const { run, pending, error, fieldErrors } = useServerAction<IncidentDto>();
  const [open, setOpen] = useState(false);
  if (!open) {
    return (
      <Button variant="ghost" className="px-2 py-1 text-xs" data-shortcut="edit" aria-keyshortcuts="e" onClick={() => setOpen(true)}>
        Edit details
      </Button>
    );
  }
  return (
    <form
      aria-label="Edit incident details"
      className="mt-2 grid w-full gap-2 rounded-md border border-zinc-200 p-3 dark:border-zinc-800"
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
          (updated) => {
            apply(updated);
            setOpen(false);
          },
        );
      }}
    >
      <label className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
        Title
        <input name="title" defaultValue={incident.title} className={`${inputClasses} mt-1`} aria-invalid={Boolean(fieldErrors.title) || undefined} autoFocus />
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

