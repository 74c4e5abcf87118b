'use client';

import { Button } from '@/components/ui/button';
import { Field, Select, TextInput } from '@/components/ui/field';
import { FormOutcome } from '@/components/ui/form-outcome';
import { useServerAction } from '@/components/ui/use-server-action';
import { addOverrideAction } from '@/lib/oncall/actions';

/** An override: someone covers a stretch of time (your browser's local time), winning over every layer. */
export function OverrideForm({ scheduleId, people, me }: { scheduleId: string; people: { email: string; name: string }[]; me: string }) {
  const { run, pending, error, fieldErrors } = useServerAction();
  return (
    <form
      aria-label="Add an override"
      className="grid gap-3 sm:grid-cols-[1fr_1fr_1fr_auto]"
      onSubmit={(event) => {
        event.preventDefault();
        const form = event.currentTarget;
        const data = new FormData(form);
        const local = (name: string) => {
          const value = String(data.get(name) ?? '');
          return value ? new Date(value).toISOString() : '';
        };
        run(() => addOverrideAction(null, { scheduleId, email: String(data.get('override-email') ?? ''), start: local('override-start'), end: local('override-end') }), () => form.reset());
      }}
    >
      <Field label="Who covers" name="override-email" error={fieldErrors.email}>
        <Select name="override-email" defaultValue={me}>
          {people.map((p) => (
            <option key={p.email} value={p.email}>
              {p.name}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="From (your local time)" name="override-start" error={fieldErrors.start}>
        <TextInput name="override-start" type="datetime-local" required invalid={Boolean(fieldErrors.start)} />
      </Field>
      <Field label="Until" name="override-end" error={fieldErrors.end}>
        <TextInput name="override-end" type="datetime-local" required invalid={Boolean(fieldErrors.end)} />
      </Field>
      <div className="flex items-end">
        <Button type="submit" disabled={pending}>
          {pending ? 'Adding…' : 'Add override'}
        </Button>
      </div>
      <div className="sm:col-span-4">
        <FormOutcome error={Object.keys(fieldErrors).length ? null : error} done={null} />
      </div>
    </form>
  );
}
