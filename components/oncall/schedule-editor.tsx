'use client';

import { useRouter } from 'next/navigation';
import { useMemo, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Field, inputClasses, Select, TextInput } from '@/components/ui/field';
import { FormOutcome } from '@/components/ui/form-outcome';
import { useServerAction } from '@/components/ui/use-server-action';
import { createScheduleAction, deleteScheduleAction, updateScheduleAction } from '@/lib/oncall/actions';
import type { ScheduleDto } from '@/lib/oncall/schema';
import { shortWeekdays, weekdays } from '@/lib/oncall/vocabulary';

type Person = { email: string; name: string };
type Restriction = { days: string[]; from: string; to: string };
type LayerDraft = { name: string; participants: string[]; rotation: 'daily' | 'weekly' | 'hours'; hours: number; handoffTime: string; handoffDay: string; startDate: string; restrictions: Restriction[] };

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

function emptyLayer(): LayerDraft {
  return { name: '', participants: [], rotation: 'weekly', hours: 12, handoffTime: '09:00', handoffDay: 'monday', startDate: today(), restrictions: [] };
}

function fromSchedule(schedule: ScheduleDto): LayerDraft[] {
  return schedule.layers.map((layer) => ({
    name: layer.name ?? '',
    participants: layer.participants,
    rotation: typeof layer.rotation === 'object' ? 'hours' : layer.rotation,
    hours: typeof layer.rotation === 'object' ? layer.rotation.hours : 12,
    handoffTime: layer.handoffTime,
    handoffDay: layer.handoffDay ?? 'monday',
    startDate: layer.startDate,
    restrictions: layer.restrictions.map((r) => ({ days: [...r.days], from: r.from, to: r.to })),
  }));
}

function toInput(layer: LayerDraft) {
  return {
    name: layer.name.trim() || undefined,
    participants: layer.participants,
    rotation: layer.rotation === 'hours' ? { hours: layer.hours } : layer.rotation,
    handoffTime: layer.handoffTime,
    handoffDay: layer.rotation === 'weekly' ? layer.handoffDay : undefined,
    startDate: layer.startDate,
    restrictions: layer.restrictions,
  };
}

/** The errors the server named under `prefix` (e.g. "layers.1."), as lines. */
function errorsUnder(fieldErrors: Record<string, string>, prefix: string): string[] {
  return Object.entries(fieldErrors)
    .filter(([path]) => path === prefix.slice(0, -1) || path.startsWith(prefix))
    .map(([, message]) => message);
}

/** Create or edit a schedule: its time zone and layers (rotation, hand-off, start, participants in order, restrictions). */
export function ScheduleEditor({ schedule, people }: { schedule?: ScheduleDto; people: Person[] }) {
  const router = useRouter();
  const { run, pending, error, fieldErrors } = useServerAction();
  const remove = useServerAction();
  const [name, setName] = useState(schedule?.name ?? '');
  const [timeZone, setTimeZone] = useState(schedule?.timeZone ?? (Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'));
  const [layers, setLayers] = useState<LayerDraft[]>(schedule ? fromSchedule(schedule) : [emptyLayer()]);
  const zones = useMemo(() => (typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : []), []);
  const nameOf = (email: string) => people.find((p) => p.email === email)?.name ?? email;

  const update = (index: number, change: Partial<LayerDraft>) => setLayers((all) => all.map((layer, i) => (i === index ? { ...layer, ...change } : layer)));
  const move = (index: number, from: number, to: number) =>
    setLayers((all) =>
      all.map((layer, i) => {
        if (i !== index) return layer;
        const participants = [...layer.participants];
        const [moved] = participants.splice(from, 1);
        participants.splice(to, 0, moved!);
        return { ...layer, participants };
      }),
    );

  const submit = () => {
    const input = { name, timeZone, layers: layers.map(toInput) };
    if (schedule) run(() => updateScheduleAction(null, { ...input, id: schedule.id, version: schedule.version }), () => router.push('/settings/oncall'));
    else run(() => createScheduleAction(null, input), () => router.push('/settings/oncall'));
  };

  return (
    <form
      aria-label={schedule ? `Edit schedule ${schedule.name}` : 'New schedule'}
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <div className="grid gap-3 sm:grid-cols-2">
        <Field label="Name" name="schedule-name" error={fieldErrors.name}>
          <TextInput name="schedule-name" value={name} onChange={(e) => setName(e.target.value)} required placeholder="Platform on-call" invalid={Boolean(fieldErrors.name)} />
        </Field>
        <Field label="Time zone (hand-offs happen in it)" name="schedule-zone" error={fieldErrors.timeZone}>
          <TextInput name="schedule-zone" value={timeZone} onChange={(e) => setTimeZone(e.target.value)} list="schedule-zones" required invalid={Boolean(fieldErrors.timeZone)} />
          <datalist id="schedule-zones">
            {zones.map((zone) => (
              <option key={zone} value={zone} />
            ))}
          </datalist>
        </Field>
      </div>

      <p className="text-xs text-zinc-500">Later layers win over earlier ones wherever they have someone; overrides win over every layer.</p>
      {layers.map((layer, index) => {
        const prefix = `layer-${index}`;
        const layerErrors = errorsUnder(fieldErrors, `layers.${index}.`);
        const candidates = people.filter((p) => !layer.participants.includes(p.email));
        return (
          <fieldset key={index} className="space-y-3 rounded-md border border-zinc-200 p-3 dark:border-zinc-800">
            <legend className="px-1 text-sm font-semibold">Layer {index + 1}</legend>
            <div className="grid gap-3 sm:grid-cols-3">
              <Field label="Layer name (optional)" name={`${prefix}-name`}>
                <TextInput name={`${prefix}-name`} value={layer.name} onChange={(e) => update(index, { name: e.target.value })} placeholder={index === 0 ? 'Primary' : 'Business hours'} />
              </Field>
              <Field label="Rotation" name={`${prefix}-rotation`}>
                <Select name={`${prefix}-rotation`} value={layer.rotation} onChange={(e) => update(index, { rotation: e.target.value as LayerDraft['rotation'] })}>
                  <option value="daily">Daily</option>
                  <option value="weekly">Weekly</option>
                  <option value="hours">Every N hours</option>
                </Select>
              </Field>
              {layer.rotation === 'hours' ? (
                <Field label="Shift length (hours)" name={`${prefix}-hours`}>
                  <TextInput name={`${prefix}-hours`} type="number" min={1} max={744} value={layer.hours} onChange={(e) => update(index, { hours: Number(e.target.value) })} />
                </Field>
              ) : layer.rotation === 'weekly' ? (
                <Field label="Hand-off day" name={`${prefix}-day`}>
                  <Select name={`${prefix}-day`} value={layer.handoffDay} onChange={(e) => update(index, { handoffDay: e.target.value })}>
                    {weekdays.map((day) => (
                      <option key={day} value={day}>
                        {day[0]!.toUpperCase() + day.slice(1)}
                      </option>
                    ))}
                  </Select>
                </Field>
              ) : (
                <div />
              )}
              <Field label="Hand-off time" name={`${prefix}-time`}>
                <TextInput name={`${prefix}-time`} type="time" value={layer.handoffTime} onChange={(e) => update(index, { handoffTime: e.target.value })} required />
              </Field>
              <Field label="Starts on" name={`${prefix}-start`}>
                <TextInput name={`${prefix}-start`} type="date" value={layer.startDate} onChange={(e) => update(index, { startDate: e.target.value })} required />
              </Field>
            </div>

            <div>
              <p className="mb-1 text-xs font-medium text-zinc-600 dark:text-zinc-400">Participants, in turn</p>
              <ol aria-label={`Participants of layer ${index + 1}`} className="space-y-1">
                {layer.participants.map((email, position) => (
                  <li key={email} className="flex items-center gap-2 text-sm">
                    <span className="w-5 text-right text-xs tabular-nums text-zinc-500">{position + 1}.</span>
                    <span className="min-w-0 flex-1 truncate">{nameOf(email)}</span>
                    <Button variant="ghost" className="px-1.5 py-0.5 text-xs" aria-label={`Move ${nameOf(email)} up`} disabled={position === 0} onClick={() => move(index, position, position - 1)}>
                      ↑
                    </Button>
                    <Button variant="ghost" className="px-1.5 py-0.5 text-xs" aria-label={`Move ${nameOf(email)} down`} disabled={position === layer.participants.length - 1} onClick={() => move(index, position, position + 1)}>
                      ↓
                    </Button>
                    <Button variant="ghost" className="px-1.5 py-0.5 text-xs" aria-label={`Remove ${nameOf(email)} from layer ${index + 1}`} onClick={() => update(index, { participants: layer.participants.filter((p) => p !== email) })}>
                      ✕
                    </Button>
                  </li>
                ))}
              </ol>
              <div className="mt-1 flex gap-2">
                <label htmlFor={`${prefix}-add`} className="sr-only">
                  Add a participant to layer {index + 1}
                </label>
                <select
                  id={`${prefix}-add`}
                  className={`${inputClasses} max-w-xs py-1`}
                  value=""
                  onChange={(e) => e.target.value && update(index, { participants: [...layer.participants, e.target.value] })}
                >
                  <option value="">Add a participant…</option>
                  {candidates.map((p) => (
                    <option key={p.email} value={p.email}>
                      {p.name}
                    </option>
                  ))}
                </select>
              </div>
            </div>

            <div>
              <p className="mb-1 text-xs font-medium text-zinc-600 dark:text-zinc-400">Restrictions (optional: the layer counts only in these windows)</p>
              {layer.restrictions.map((restriction, r) => (
                <div key={r} role="group" aria-label={`Window ${r + 1} of layer ${index + 1}`} className="mb-1 flex flex-wrap items-center gap-2 text-xs">
                  {shortWeekdays.map((day) => (
                    <label key={day} className="inline-flex items-center gap-0.5">
                      <input
                        type="checkbox"
                        checked={restriction.days.includes(day)}
                        onChange={(e) =>
                          update(index, {
                            restrictions: layer.restrictions.map((x, i) => (i === r ? { ...x, days: e.target.checked ? [...x.days, day] : x.days.filter((d) => d !== day) } : x)),
                          })
                        }
                      />
                      {day}
                    </label>
                  ))}
                  <label className="inline-flex items-center gap-1">
                    from
                    <input type="time" aria-label="From" value={restriction.from} className={`${inputClasses} w-28 py-0.5 text-xs`} onChange={(e) => update(index, { restrictions: layer.restrictions.map((x, i) => (i === r ? { ...x, from: e.target.value } : x)) })} />
                  </label>
                  <label className="inline-flex items-center gap-1">
                    to
                    <input type="time" aria-label="To" value={restriction.to === '24:00' ? '00:00' : restriction.to} className={`${inputClasses} w-28 py-0.5 text-xs`} onChange={(e) => update(index, { restrictions: layer.restrictions.map((x, i) => (i === r ? { ...x, to: e.target.value } : x)) })} />
                  </label>
                  <Button variant="ghost" className="px-1.5 py-0.5 text-xs" aria-label={`Remove window ${r + 1}`} onClick={() => update(index, { restrictions: layer.restrictions.filter((_, i) => i !== r) })}>
                    ✕
                  </Button>
                </div>
              ))}
              <Button variant="ghost" className="px-2 py-0.5 text-xs" onClick={() => update(index, { restrictions: [...layer.restrictions, { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' }] })}>
                + Window
              </Button>
            </div>
            {layerErrors.length ? (
              <ul role="alert" className="list-inside list-disc text-xs text-red-600 dark:text-red-400">
                {layerErrors.map((message) => (
                  <li key={message}>{message}</li>
                ))}
              </ul>
            ) : null}
            {layers.length > 1 ? (
              <Button variant="danger" className="px-2 py-0.5 text-xs" onClick={() => setLayers((all) => all.filter((_, i) => i !== index))}>
                Remove layer {index + 1}
              </Button>
            ) : null}
          </fieldset>
        );
      })}
      <Button variant="secondary" onClick={() => setLayers((all) => [...all, emptyLayer()])}>
        + Add a layer
      </Button>

      <FormOutcome error={Object.keys(fieldErrors).some((path) => path.startsWith('layers.')) ? 'Check the layers above.' : error} done={null} />
      <div className="flex flex-wrap gap-2 border-t border-zinc-200 pt-3 dark:border-zinc-800">
        <Button type="submit" disabled={pending}>
          {pending ? 'Saving…' : schedule ? 'Save schedule' : 'Create schedule'}
        </Button>
        {schedule ? (
          <Button variant="danger" disabled={remove.pending} onClick={() => remove.run(() => deleteScheduleAction(null, { id: schedule.id }), () => router.push('/settings/oncall'))}>
            Delete schedule
          </Button>
        ) : null}
        <FormOutcome error={remove.error} done={null} />
      </div>
    </form>
  );
}
