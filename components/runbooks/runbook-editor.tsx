'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useServerAction } from '@/components/ui/use-server-action';
import { Button } from '@/components/ui/button';
import { inputClasses } from '@/components/ui/field';
import { createRunbookAction, updateRunbookAction } from '@/lib/runbooks/actions';
import type { RunbookDto } from '@/lib/runbooks/schema';

// A step may link to a remediation action: the checklist then offers "Run" on that step.
type Step = { id: string; title: string; detail: string; command: string; expectedOutcome: string; remediationActionId: string | null; optional: boolean };
type Phase = { key: string; title: string; timeBudget: string; steps: Step[] };

const newId = () => crypto.randomUUID();
const emptyStep = (): Step => ({ id: newId(), title: '', detail: '', command: '', expectedOutcome: '', remediationActionId: null, optional: false });

function move<T>(list: T[], from: number, to: number): T[] {
  if (to < 0 || to >= list.length) return list;
  const copy = [...list];
  const [item] = copy.splice(from, 1);
  copy.splice(to, 0, item!);
  return copy;
}

/** A change suggested by what an incident's checklist taught (lib/insights/suggestions.ts), already applied to `runbook`. */
export type EditorSuggestion = { changeNote: string; stepId: string; fromIncident: number };

type Props = { runbook?: RunbookDto; severities: string[]; actions: { id: string; name: string; disabled: boolean }[]; suggestion?: EditorSuggestion };

export function RunbookEditor({ runbook, severities, actions, suggestion }: Props) {
  const router = useRouter();
  const { run, pending, result } = useServerAction();
  const [title, setTitle] = useState(runbook?.title ?? '');
  const [description, setDescription] = useState(runbook?.description ?? '');
  const [tags, setTags] = useState(runbook?.tags.join(', ') ?? '');
  const [services, setServices] = useState(runbook?.services.join(', ') ?? '');
  const [chosenSeverities, setChosenSeverities] = useState<string[]>(runbook?.severities ?? []);
  const [changeNote, setChangeNote] = useState(suggestion?.changeNote ?? '');
  const [phases, setPhases] = useState<Phase[]>(
    runbook?.phases.map((p) => ({
      key: newId(),
      title: p.title,
      timeBudget: p.timeBudget ?? '',
      steps: p.steps.map((s) => ({ id: s.id, title: s.title, detail: s.detail, command: s.command ?? '', expectedOutcome: s.expectedOutcome ?? '', remediationActionId: s.remediationActionId, optional: s.optional })),
    })) ?? [{ key: newId(), title: 'Immediate actions', timeBudget: '', steps: [emptyStep()] }],
  );
  const [dragging, setDragging] = useState<{ phase: number; step: number } | null>(null);

  const updatePhase = (p: number, change: Partial<Phase>) => setPhases((all) => all.map((phase, i) => (i === p ? { ...phase, ...change } : phase)));
  const updateStep = (p: number, s: number, change: Partial<Step>) =>
    setPhases((all) => all.map((phase, i) => (i === p ? { ...phase, steps: phase.steps.map((step, j) => (j === s ? { ...step, ...change } : step)) } : phase)));
  const moveStep = (p: number, from: number, to: number) => setPhases((all) => all.map((phase, i) => (i === p ? { ...phase, steps: move(phase.steps, from, to) } : phase)));

  const list = (value: string) => value.split(',').map((v) => v.trim()).filter(Boolean);

  function save() {
    const input = {
      title,
      description,
      tags: list(tags).map((t) => t.toLowerCase()),
      services: list(services).map((s) => s.toLowerCase()),
      severities: chosenSeverities,
      changeNote,
      // Reference notes (contacts, templates…) are not edited here; keep them across versions.
      references: runbook?.references ?? [],
      phases: phases.map((phase) => ({
        title: phase.title,
        timeBudget: phase.timeBudget || null,
        steps: phase.steps.map((step) => ({ id: step.id, title: step.title, detail: step.detail, command: step.command || null, expectedOutcome: step.expectedOutcome || null, remediationActionId: step.remediationActionId, optional: step.optional })),
      })),
    };
    run(
      () => (runbook ? updateRunbookAction(null, { id: runbook.id, baseVersion: runbook.version, runbook: input, fromIncident: suggestion?.fromIncident }) : createRunbookAction(null, input)),
      (saved) => router.push(`/runbooks/${saved.id}`),
    );
  }

  // Each refusal named by where it is: "Phase 2, step 3: …".
  const errors =
    result && !result.ok
      ? Object.keys(result.fieldErrors ?? {}).length
        ? Object.entries(result.fieldErrors ?? {}).map(([path, message]) => {
            const match = /phases\.(\d+)(?:\.steps\.(\d+))?/.exec(path);
            return match ? `Phase ${Number(match[1]) + 1}${match[2] ? `, step ${Number(match[2]) + 1}` : ''}: ${message}` : message;
          })
        : [result.error]
      : [];

  return (
    <form
      className="space-y-4"
      aria-label={runbook ? `Edit ${runbook.title}` : 'New runbook'}
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      {suggestion ? (
        <p role="status" className="rounded-md bg-sky-50 px-3 py-2 text-sm text-sky-900 dark:bg-sky-950 dark:text-sky-200">
          Suggested from INC-{suggestion.fromIncident}: {suggestion.changeNote.replace(/ \(from INC-\d+\)$/, '')}. The change is made below (highlighted); check it and save a new version credited to INC-{suggestion.fromIncident}.
        </p>
      ) : null}
      <div className="grid gap-3 sm:grid-cols-2">
        <label className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
          Title
          <input value={title} onChange={(e) => setTitle(e.target.value)} required className={`${inputClasses} mt-1`} />
        </label>
        <label className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
          Services (comma-separated)
          <input value={services} onChange={(e) => setServices(e.target.value)} className={`${inputClasses} mt-1`} placeholder="checkout, database" />
        </label>
        <label className="text-xs font-medium text-zinc-600 dark:text-zinc-400 sm:col-span-2">
          Description (Markdown)
          <textarea value={description} onChange={(e) => setDescription(e.target.value)} rows={2} className={`${inputClasses} mt-1`} />
        </label>
        <label className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
          Tags (comma-separated)
          <input value={tags} onChange={(e) => setTags(e.target.value)} className={`${inputClasses} mt-1`} placeholder="deploy, rollback" />
        </label>
        <fieldset className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
          <legend>Suggested for severities</legend>
          <div className="mt-2 flex gap-3">
            {severities.map((s) => (
              <label key={s} className="inline-flex items-center gap-1 font-normal">
                <input type="checkbox" checked={chosenSeverities.includes(s)} onChange={(e) => setChosenSeverities((all) => (e.target.checked ? [...all, s] : all.filter((x) => x !== s)))} />
                {s}
              </label>
            ))}
          </div>
        </fieldset>
      </div>

      {phases.map((phase, p) => (
        <fieldset key={phase.key} className="rounded-lg border border-zinc-200 p-3 dark:border-zinc-800">
          <legend className="sr-only">{`Phase ${p + 1}`}</legend>
          <div className="flex flex-wrap items-end gap-2">
            <label className="min-w-48 flex-1 text-xs text-zinc-600 dark:text-zinc-400">
              {`Phase ${p + 1} title`}
              <input value={phase.title} onChange={(e) => updatePhase(p, { title: e.target.value })} className={`${inputClasses} mt-0.5 font-medium`} />
            </label>
            <label className="w-40 text-xs text-zinc-600 dark:text-zinc-400">
              Time budget
              <input value={phase.timeBudget} onChange={(e) => updatePhase(p, { timeBudget: e.target.value })} placeholder="0-5 minutes" className={`${inputClasses} mt-0.5`} />
            </label>
            <Button variant="ghost" className="text-xs" aria-label={`Move phase ${p + 1} up`} disabled={p === 0} onClick={() => setPhases((all) => move(all, p, p - 1))}>
              ↑
            </Button>
            <Button variant="ghost" className="text-xs" aria-label={`Move phase ${p + 1} down`} disabled={p === phases.length - 1} onClick={() => setPhases((all) => move(all, p, p + 1))}>
              ↓
            </Button>
            <Button variant="ghost" className="text-xs text-red-600" aria-label={`Remove phase ${p + 1}`} disabled={phases.length === 1} onClick={() => setPhases((all) => all.filter((_, i) => i !== p))}>
              Remove phase
            </Button>
          </div>
          <ol className="mt-2 space-y-2">
            {phase.steps.map((step, s) => (
              <li
                key={step.id}
                draggable
                onDragStart={() => setDragging({ phase: p, step: s })}
                onDragOver={(e) => e.preventDefault()}
                onDrop={() => {
                  if (dragging && dragging.phase === p) moveStep(p, dragging.step, s);
                  setDragging(null);
                }}
                data-suggested={suggestion?.stepId === step.id || undefined}
                className="grid grid-cols-[1.5rem_1fr_auto] gap-2 rounded-md bg-zinc-50 p-2 data-suggested:ring-2 data-suggested:ring-sky-500 dark:bg-zinc-800/40"
              >
                <span className="cursor-grab pt-1.5 text-right text-sm tabular-nums text-zinc-400" title="Drag to reorder">
                  {s + 1}.
                </span>
                <div className="grid gap-1.5">
                  <input aria-label={`Phase ${p + 1} step ${s + 1} title`} value={step.title} onChange={(e) => updateStep(p, s, { title: e.target.value })} placeholder="What to do" className={inputClasses} />
                  <textarea aria-label={`Phase ${p + 1} step ${s + 1} details`} value={step.detail} onChange={(e) => updateStep(p, s, { detail: e.target.value })} placeholder="Details (Markdown)" rows={1} className={`${inputClasses} text-xs`} />
                  <textarea aria-label={`Phase ${p + 1} step ${s + 1} command`} value={step.command} onChange={(e) => updateStep(p, s, { command: e.target.value })} placeholder="Command (optional)" rows={1} className={`${inputClasses} font-mono text-xs`} />
                  <label className="inline-flex items-center gap-1.5 text-xs text-zinc-600 dark:text-zinc-400">
                    <input type="checkbox" checked={step.optional} onChange={(e) => updateStep(p, s, { optional: e.target.checked })} aria-label={`Phase ${p + 1} step ${s + 1} optional`} />
                    Optional: may be skipped without a note of concern
                  </label>
                  <input aria-label={`Phase ${p + 1} step ${s + 1} expected outcome`} value={step.expectedOutcome} onChange={(e) => updateStep(p, s, { expectedOutcome: e.target.value })} placeholder="Expected outcome (optional)" className={`${inputClasses} text-xs`} />
                  {actions.length || step.remediationActionId ? (
                    <select
                      aria-label={`Phase ${p + 1} step ${s + 1} remediation action`}
                      value={step.remediationActionId ?? ''}
                      onChange={(e) => updateStep(p, s, { remediationActionId: e.target.value || null })}
                      className={`${inputClasses} text-xs`}
                    >
                      <option value="">No remediation action</option>
                      {actions.map((a) => (
                        <option key={a.id} value={a.id}>
                          {`Runs: ${a.name}${a.disabled ? ' (disabled)' : ''}`}
                        </option>
                      ))}
                      {step.remediationActionId && !actions.some((a) => a.id === step.remediationActionId) ? <option value={step.remediationActionId}>An action that no longer exists</option> : null}
                    </select>
                  ) : null}
                </div>
                <div className="flex flex-col gap-1">
                  <Button variant="ghost" className="px-2 py-0.5 text-xs" aria-label={`Move step ${s + 1} of phase ${p + 1} up`} disabled={s === 0} onClick={() => moveStep(p, s, s - 1)}>
                    ↑
                  </Button>
                  <Button variant="ghost" className="px-2 py-0.5 text-xs" aria-label={`Move step ${s + 1} of phase ${p + 1} down`} disabled={s === phase.steps.length - 1} onClick={() => moveStep(p, s, s + 1)}>
                    ↓
                  </Button>
                  <Button variant="ghost" className="px-2 py-0.5 text-xs text-red-600" aria-label={`Remove step ${s + 1} of phase ${p + 1}`} onClick={() => updatePhase(p, { steps: phase.steps.filter((_, j) => j !== s) })}>
                    ✕
                  </Button>
                </div>
              </li>
            ))}
          </ol>
          <Button variant="secondary" className="mt-2 text-xs" onClick={() => updatePhase(p, { steps: [...phase.steps, emptyStep()] })}>
            Add step
          </Button>
        </fieldset>
      ))}
      <Button variant="secondary" onClick={() => setPhases((all) => [...all, { key: newId(), title: '', timeBudget: '', steps: [emptyStep()] }])}>
        Add phase
      </Button>

      <div className="flex flex-wrap items-end gap-2 border-t border-zinc-200 pt-3 dark:border-zinc-800">
        {runbook ? (
          <label className="min-w-64 flex-1 text-xs text-zinc-600 dark:text-zinc-400">
            What changed (optional)
            <input value={changeNote} onChange={(e) => setChangeNote(e.target.value)} className={`${inputClasses} mt-0.5`} placeholder="Added the failover step" />
          </label>
        ) : null}
        <Button type="submit" disabled={pending}>
          {pending ? 'Saving…' : runbook ? `Save as version ${runbook.version + 1}` : 'Create runbook'}
        </Button>
      </div>
      {errors.length ? (
        <ul role="alert" className="list-disc pl-5 text-sm text-red-600 dark:text-red-400">
          {errors.map((error) => (
            <li key={error}>{error}</li>
          ))}
        </ul>
      ) : null}
    </form>
  );
}
