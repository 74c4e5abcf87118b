'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Field, TextInput } from '@/components/ui/field';
import { FormOutcome } from '@/components/ui/form-outcome';
import { useServerAction } from '@/components/ui/use-server-action';
import { declareFromAlertAction } from '@/lib/alerts/actions';
import type { AlertDto } from '@/lib/alerts/schema';
import type { IncidentDto } from '@/lib/incidents/schema';
import { DialogTitle, ModalDialog } from '@/components/ui/modal-dialog';

type Severity = { key: string; name: string };

/**
 * "Declare incident" from an alert: a dialog prefilled with the alert's summary and mapped
 * severity; Enter declares. The incident links the alert's group and attaches its runbook.
 * Mounted for one alert (keyed by it) and opened at once; closing it unmounts it.
 */
export function DeclareFromAlert({ alert, severities, onClose }: { alert: AlertDto; severities: Severity[]; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const router = useRouter();
  const { run, pending, fieldErrors, errorBesides } = useServerAction<IncidentDto>();
  const [title, setTitle] = useState(() => alert.title.slice(0, 200));
  const [severity, setSeverity] = useState(() => (severities.some((s) => s.key === alert.severity) ? alert.severity : (severities[2]?.key ?? severities[0]?.key ?? 'SEV3')));

  useEffect(() => {
    if (!dialog.current?.open) dialog.current?.showModal();
    // showModal focuses the first button (Close); the title is where Enter should declare from.
    const title = dialog.current?.querySelector<HTMLInputElement>('input[name="declare-alert-incident-title"]');
    title?.focus();
    title?.select();
  }, []);

  return (
    <ModalDialog ref={dialog} titleId="declare-alert-title" onClose={onClose}>
      <form
        className="space-y-3 p-4"
        onSubmit={(event) => {
          event.preventDefault();
          run(
            () => declareFromAlertAction(null, { alertId: alert.id, title, severity }),
            (incident) => {
              dialog.current?.close();
              router.push(`/incidents/${incident.number}`);
            },
          );
        }}
      >
        <DialogTitle id="declare-alert-title" onClose={() => dialog.current?.close()}>
          Declare an incident from this alert
        </DialogTitle>
        <Field label="Title" name="declare-alert-incident-title" error={fieldErrors.title}>
          <TextInput name="declare-alert-incident-title" required value={title} onChange={(event) => setTitle(event.target.value)} maxLength={200} invalid={Boolean(fieldErrors.title)} />
        </Field>
        <fieldset>
          <legend className="mb-1 text-xs font-medium text-zinc-600 dark:text-zinc-400">Severity (mapped from the alert: {alert.severity})</legend>
          <div className="grid grid-cols-2 gap-1.5 sm:grid-cols-4">
            {severities.map((option) => (
              <label
                key={option.key}
                className="flex cursor-pointer items-center gap-1.5 rounded-md border border-zinc-300 px-2 py-1.5 text-xs has-checked:border-sky-500 has-checked:bg-sky-50 has-focus-visible:outline-2 has-focus-visible:outline-sky-500 dark:border-zinc-700 dark:has-checked:bg-sky-950"
              >
                <input type="radio" name="declare-alert-severity" value={option.key} checked={severity === option.key} onChange={() => setSeverity(option.key)} className="sr-only" />
                <span className="font-mono font-semibold">{option.key}</span>
                <span>{option.name}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <p className="text-xs text-zinc-500">
          Its group’s unresolved alerts are linked to the incident{alert.runbook ? `, and the runbook “${alert.runbook.title}” is attached as a checklist` : ''}. You become Incident Commander.
        </p>
        <FormOutcome error={errorBesides((path) => path === 'title')} done={null} />
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={() => dialog.current?.close()}>
            Cancel
          </Button>
          <Button type="submit" variant="alert" disabled={pending}>
            {pending ? 'Declaring…' : 'Declare incident'}
          </Button>
        </div>
      </form>
    </ModalDialog>
  );
}
