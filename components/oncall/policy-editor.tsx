'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Field, inputClasses, TextInput } from '@/components/ui/field';
import { FormOutcome } from '@/components/ui/form-outcome';
import { useServerAction } from '@/components/ui/use-server-action';
import { createPolicyAction, deletePolicyAction, updatePolicyAction } from '@/lib/oncall/actions';
import type { PolicyDto } from '@/lib/oncall/dto';

type Person = { email: string; name: string };
type ScheduleRef = { id: string; name: string };
type LevelDraft = { minutes: string; targets: string[] };

/** "user:ana@example.com" / "schedule:<id>": one select for both kinds of target. */
function encode(target: { user: string } | { schedule: string }): string {
  return 'user' in target ? `user:${target.user}` : `schedule:${target.schedule}`;
}

function decode(value: string): { user: string } | { schedule: string } {
  const [kind, ...rest] = value.split(':');
  return kind === 'schedule' ? { schedule: rest.join(':') } : { user: rest.join(':') };
}

/** Create or edit an escalation policy: levels of people and schedules, each waiting a delay; repeat. */
export function PolicyEditor({ policy, people, schedules }: { policy?: PolicyDto; people: Person[]; schedules: ScheduleRef[] }) {
  const router = useRouter();
  const { run, pending, error, fieldErrors } = useServerAction();
  const remove = useServerAction();
  const [name, setName] = useState(policy?.name ?? '');
  const [repeat, setRepeat] = useState(String(policy?.repeat ?? 0));
  const [levels, setLevels] = useState<LevelDraft[]>(policy ? policy.levels.map((level) => ({ minutes: String(level.delaySeconds / 60), targets: level.targets.map(encode) })) : [{ minutes: '5', targets: [] }]);
  const label = (value: string) => {
    const target = decode(value);
    return 'user' in target ? (people.find((p) => p.email === target.user)?.name ?? target.user) : `On call in ${schedules.find((s) => s.id === target.schedule)?.name ?? 'a deleted schedule'}`;
  };
  const update = (index: number, change: Partial<LevelDraft>) => setLevels((all) => all.map((level, i) => (i === index ? { ...level, ...change } : level)));

  const submit = () => {
    const input = { name, repeat: Number(repeat), levels: levels.map((level) => ({ delaySeconds: Math.round(Number(level.minutes) * 60), targets: level.targets.map(decode) })) };
    if (policy) run(() => updatePolicyAction(null, { ...input, id: policy.id, version: policy.version }), () => router.push('/settings/oncall'));
    else run(() => createPolicyAction(null, input), () => router.push('/settings/oncall'));
  };

  return (
    <form
      aria-label={policy ? `Edit policy ${policy.name}` : 'New escalation policy'}
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <div className="grid gap-3 sm:grid-cols-[1fr_12rem]">
        <Field label="Name" name="policy-name" error={fieldErrors.name}>
          <TextInput name="policy-name" value={name} onChange={(e) => setName(e.target.value)} required placeholder="Platform escalation" invalid={Boolean(fieldErrors.name)} />
        </Field>
        <Field label="Repeat the levels (times)" name="policy-repeat" error={fieldErrors.repeat} hint="0 = run through them once">
          <TextInput name="policy-repeat" type="number" min={0} max={9} value={repeat} onChange={(e) => setRepeat(e.target.value)} />
        </Field>
      </div>
      <ol className="space-y-3">
        {levels.map((level, index) => {
          const prefix = `level-${index}`;
          const errors = Object.entries(fieldErrors).filter(([path]) => path.startsWith(`levels.${index}.`) || path === `levels.${index}`);
          return (
            <li key={index}>
              <fieldset className="space-y-2 rounded-md border border-zinc-200 p-3 dark:border-zinc-800">
                <legend className="px-1 text-sm font-semibold">Level {index + 1}</legend>
                <ul aria-label={`Targets of level ${index + 1}`} className="space-y-1">
                  {level.targets.map((target) => (
                    <li key={target} className="flex items-center gap-2 text-sm">
                      <span className="min-w-0 flex-1 truncate">{label(target)}</span>
                      <Button variant="ghost" className="px-1.5 py-0.5 text-xs" aria-label={`Remove ${label(target)} from level ${index + 1}`} onClick={() => update(index, { targets: level.targets.filter((t) => t !== target) })}>
                        ✕
                      </Button>
                    </li>
                  ))}
                </ul>
                <div className="flex flex-wrap items-end gap-3">
                  <label className="text-xs text-zinc-600 dark:text-zinc-400">
                    Notify
                    <select
                      aria-label={`Add a target to level ${index + 1}`}
                      className={`${inputClasses} mt-0.5 py-1`}
                      value=""
                      onChange={(e) => e.target.value && !level.targets.includes(e.target.value) && update(index, { targets: [...level.targets, e.target.value] })}
                    >
                      <option value="">Add a person or schedule…</option>
                      <optgroup label="Whoever is on call in">
                        {schedules.map((s) => (
                          <option key={s.id} value={`schedule:${s.id}`}>
                            {s.name}
                          </option>
                        ))}
                      </optgroup>
                      <optgroup label="People">
                        {people.map((p) => (
                          <option key={p.email} value={`user:${p.email}`}>
                            {p.name}
                          </option>
                        ))}
                      </optgroup>
                    </select>
                  </label>
                  <Field label="then wait (minutes) for an acknowledgement" name={`${prefix}-minutes`}>
                    <TextInput name={`${prefix}-minutes`} type="number" min={0} max={1440} step="any" value={level.minutes} onChange={(e) => update(index, { minutes: e.target.value })} required />
                  </Field>
                  {levels.length > 1 ? (
                    <Button variant="danger" className="px-2 py-1 text-xs" onClick={() => setLevels((all) => all.filter((_, i) => i !== index))}>
                      Remove level {index + 1}
                    </Button>
                  ) : null}
                </div>
                {errors.length ? (
                  <ul role="alert" className="list-inside list-disc text-xs text-red-600 dark:text-red-400">
                    {errors.map(([path, message]) => (
                      <li key={path}>{message}</li>
                    ))}
                  </ul>
                ) : null}
              </fieldset>
            </li>
          );
        })}
      </ol>
      <Button variant="secondary" onClick={() => setLevels((all) => [...all, { minutes: '10', targets: [] }])}>
        + Add a level
      </Button>
      <FormOutcome error={Object.keys(fieldErrors).some((path) => path.startsWith('levels.')) ? 'Check the levels above.' : error} done={null} />
      <div className="flex flex-wrap gap-2 border-t border-zinc-200 pt-3 dark:border-zinc-800">
        <Button type="submit" disabled={pending}>
          {pending ? 'Saving…' : policy ? 'Save policy' : 'Create policy'}
        </Button>
        {policy ? (
          <Button variant="danger" disabled={remove.pending} onClick={() => remove.run(() => deletePolicyAction(null, { id: policy.id }), () => router.push('/settings/oncall'))}>
            Delete policy
          </Button>
        ) : null}
        <FormOutcome error={remove.error} done={null} />
      </div>
    </form>
  );
}
