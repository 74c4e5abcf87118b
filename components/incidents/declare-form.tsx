'use client';
// The "Declare an incident" dialog and its form. It loads the first time someone opens it
// (declare-dialog.tsx holds the header button and the `d` key), so no page carries it before.

import type { RefObject } from 'react';
import { useRouter } from 'next/navigation';
import Link from 'next/link';
import { useCallback, useEffect, useRef, useState } from 'react';
import { RelatedForServices } from '@/components/insights/related-incidents';
import { Button } from '@/components/ui/button';
import { useServerAction } from '@/components/ui/use-server-action';
import { Field, inputClasses, TextInput } from '@/components/ui/field';
import { declareIncidentAction } from '@/lib/incidents/actions';
import type { IncidentDto } from '@/lib/incidents/schema';
import { DialogTitle, ModalDialog } from '@/components/ui/modal-dialog';
import { personOption, SearchPicker, type PickerOption } from '@/components/ui/search-picker';

type Severity = { key: string; name: string; responseTargetMinutes: number };
type Person = { email: string; name: string };
type Duplicate = { number: number; key: string; title: string; severity: string; status: string; sharedServices: string[] };
export type DeclareProps = { severities: Severity[]; me: Person };


function target(minutes: number): string {
  return minutes < 60 ? `${minutes} min` : minutes % 60 === 0 ? `${minutes / 60} h` : `${Math.round(minutes / 6) / 10} h`;
}

/**
 * The dialog, shown as soon as it mounts. It is mounted afresh for each opening (keyed by the
 * count of openings), so every opening starts empty with the declarer as commander.
 */
export function DeclareForm({ severities, me, dialog }: DeclareProps & { dialog: RefObject<HTMLDialogElement | null> }) {
  const form = useRef<HTMLFormElement>(null);
  const router = useRouter();
  const declare = useServerAction<IncidentDto>();
  const { pending, fieldErrors: errors } = declare;
  // Fields show their own messages; anything else (a refusal not about a field) goes at the bottom.
  const error = declare.result && !declare.result.ok && !declare.result.fieldErrors ? declare.result.error : null;

  const [services, setServices] = useState('');
  // The commander is picked by typing (GET /api/v1/people), so no page carries everyone; it starts as the declarer.
  const [commander, setCommander] = useState<PickerOption | null>(() => personOption(me));
  // Open incidents that look like this one ("INC-1 looks like the same incident — join it?").
  const [duplicates, setDuplicates] = useState<Duplicate[]>([]);
  const lookup = useRef<{ timer: ReturnType<typeof setTimeout> | null; asked: string }>({ timer: null, asked: '' });
  const checkDuplicates = useCallback(() => {
    const data = form.current ? new FormData(form.current) : null;
    const title = String(data?.get('title') ?? '').trim();
    const typedServices = String(data?.get('services') ?? '').trim();
    const query = `title=${encodeURIComponent(title)}&services=${encodeURIComponent(typedServices)}`;
    if (lookup.current.timer) clearTimeout(lookup.current.timer);
    if (title.length < 3) {
      setDuplicates([]);
      return;
    }
    // Asked once typing pauses; an answer for an older title is dropped.
    lookup.current.timer = setTimeout(() => {
      lookup.current.asked = query;
      fetch(`/api/v1/incidents/duplicates?${query}`, { headers: { accept: 'application/json' } })
        .then((response) => (response.ok ? (response.json() as Promise<{ items: Duplicate[] }>) : { items: [] }))
        .then((body) => {
          if (lookup.current.asked === query) setDuplicates(body.items);
        })
        .catch(() => undefined);
    }, 350);
  }, []);

  useEffect(() => {
    dialog.current?.showModal();
    // Rendered in the browser, the title's autoFocus is not an attribute showModal() looks for.
    (form.current?.elements.namedItem('title') as HTMLInputElement | null)?.focus();
    const pending = lookup.current;
    return () => {
      if (pending.timer) clearTimeout(pending.timer);
    };
  }, [dialog]);

  function submit(data: FormData) {
    const local = (name: string) => {
      const value = String(data.get(name) ?? '');
      // Sitrep shows times in UTC, so they are entered in UTC.
      return value ? new Date(`${value}Z`).toISOString() : undefined;
    };
    const input = {
      title: String(data.get('title') ?? ''),
      severity: String(data.get('severity') ?? ''),
      summary: String(data.get('summary') ?? '') || undefined,
      services: String(data.get('services') ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      customerImpact: data.get('customerImpact') === 'on',
      startedAt: local('startedAt'),
      detectedAt: local('detectedAt'),
      commanderEmail: String(data.get('commanderEmail') ?? '') || undefined,
      private: data.get('private') === 'on',
    };
    declare.run(
      () => declareIncidentAction(null, input),
      (incident) => {
        dialog.current?.close();
        router.push(`/incidents/${incident.number}`);
      },
    );
  }

  return (
    <ModalDialog ref={dialog} titleId="declare-title" width="lg">
        <form
          ref={form}
          onChange={(event) => {
            const name = (event.target as unknown as HTMLInputElement).name;
            if (name === 'title' || name === 'services') checkDuplicates();
          }}
          className="space-y-3 p-4"
          onSubmit={(event) => {
            event.preventDefault();
            submit(new FormData(event.currentTarget));
          }}
        >
          <DialogTitle id="declare-title" onClose={() => dialog.current?.close()}>
            Declare an incident
          </DialogTitle>
          <Field label="Title" name="title" error={errors.title}>
            <TextInput name="title" required autoFocus autoComplete="off" placeholder="What is broken, for whom?" invalid={Boolean(errors.title)} />
          </Field>
          {duplicates.length ? (
            <div role="status" aria-label="Possible duplicates" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
              {duplicates.map((d) => (
                <p key={d.number}>
                  <Link href={`/incidents/${d.number}`} onClick={() => dialog.current?.close()} className="font-medium underline">
                    {d.key}
                  </Link>{' '}
                  “{d.title}” ({d.severity}, {d.status}
                  {d.sharedServices.length ? `, also ${d.sharedServices.join(', ')}` : ''}) looks like the same incident — join it instead?
                </p>
              ))}
              <p className="mt-1 text-xs">If it is a different incident, declare it; a duplicate can be merged later from its Related panel.</p>
            </div>
          ) : null}
          <fieldset>
            <legend className="mb-1 text-xs font-medium text-zinc-600 dark:text-zinc-400">Severity</legend>
            <div className="grid grid-cols-2 gap-1.5 sm:grid-cols-4">
              {severities.map((severity) => (
                <label
                  key={severity.key}
                  className="flex cursor-pointer flex-col rounded-md border border-zinc-300 px-2 py-1.5 text-xs has-checked:border-sky-500 has-checked:bg-sky-50 has-focus-visible:outline-2 has-focus-visible:outline-sky-500 dark:border-zinc-700 dark:has-checked:bg-sky-950"
                >
                  <span className="flex items-center gap-1.5">
                    <input type="radio" name="severity" value={severity.key} defaultChecked={severity.key === 'SEV2'} className="sr-only" />
                    <span className="font-mono font-semibold">{severity.key}</span>
                    <span>{severity.name}</span>
                  </span>
                  <span className="text-zinc-500">respond in {target(severity.responseTargetMinutes)}</span>
                </label>
              ))}
            </div>
            <p className="mt-1 text-xs text-red-600 empty:hidden">{errors.severity}</p>
          </fieldset>
          <Field label="Summary (optional)" name="summary" error={errors.summary}>
            <textarea id="summary" name="summary" rows={2} className={inputClasses} placeholder="What do we know so far?" />
          </Field>
          <div className="grid gap-3 sm:grid-cols-2">
            <Field label="Affected services (comma-separated)" name="services" error={errors.services}>
              <TextInput name="services" autoComplete="off" placeholder="checkout, api-gateway" onChange={(e) => setServices(e.target.value)} />
            </Field>
            <Field label="Incident Commander" name="commanderEmail" error={errors.commanderEmail}>
              <SearchPicker
                id="commanderEmail"
                label="Incident Commander"
                placeholder="Type a name…"
                source="/api/v1/people?can=work"
                toOption={personOption}
                value={commander}
                onChange={setCommander}
                list="inline"
              />
              <input type="hidden" name="commanderEmail" value={commander?.value ?? ''} />
            </Field>
            <Field label="Started at, UTC (optional)" name="startedAt" error={errors.startedAt}>
              <TextInput name="startedAt" type="datetime-local" step={1} />
            </Field>
            <Field label="Detected at, UTC (optional)" name="detectedAt" error={errors.detectedAt}>
              <TextInput name="detectedAt" type="datetime-local" step={1} />
            </Field>
          </div>
          <RelatedForServices services={services} />
          <label className="inline-flex items-center gap-2 text-sm">
            <input type="checkbox" name="customerImpact" />
            Customers are affected
          </label>
          <div>
            <label className="inline-flex items-center gap-2 text-sm">
              <input type="checkbox" name="private" aria-describedby="declare-private-hint" />
              Private
            </label>
            <p id="declare-private-hint" className="mt-0.5 pl-6 text-xs text-zinc-500">
              For a security breach or a personnel matter. Only its members see it: you, the commander, whoever gets a role or joins as an expert, and anyone you
              add. Admins see every incident. Everyone else finds no trace of it beyond a count; notification channels hear only that a private incident was
              declared, and it never appears on the status page.
            </p>
            <p className="mt-1 text-xs text-red-600 empty:hidden">{errors.private}</p>
          </div>
          <p role="alert" className="text-sm text-red-600 empty:hidden dark:text-red-400">
            {error}
          </p>
          <div className="flex justify-end gap-2 border-t border-zinc-200 pt-3 dark:border-zinc-800">
            <Button variant="ghost" onClick={() => dialog.current?.close()}>
              Cancel
            </Button>
            <Button type="submit" variant="alert" disabled={pending}>
              {pending ? 'Declaring…' : 'Declare'}
            </Button>
          </div>
        </form>
    </ModalDialog>
  );
}
