'use client';
// The form that edits an incident's title, summary, services, customer impact and privacy. It
// loads when someone first presses "Edit details" (or points at it), not with the command view.

import { Button } from '@/components/ui/button';
import { inputClasses } from '@/components/ui/field';
import { useServerAction } from '@/components/ui/use-server-action';
import { useIncidentState } from '@/components/incidents/command/incident-state';
import { updateIncidentAction } from '@/lib/incidents/actions';
import type { IncidentDto } from '@/lib/incidents/schema';

export function DetailsForm({ onClose }: { onClose: () => void }) {
  const { incident, apply } = useIncidentState();
  const { run, pending, error, fieldErrors } = useServerAction<IncidentDto>();
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
            onClose();
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
        <Button variant="ghost" onClick={onClose}>
          Cancel
        </Button>
      </div>
      <p role="alert" className="text-sm text-red-600 empty:hidden dark:text-red-400">
        {error}
      </p>
    </form>
  );
}

