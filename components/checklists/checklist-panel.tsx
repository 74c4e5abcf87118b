'use client';

import { useOptimistic, useState } from 'react';
import { useServerAction } from '@/components/ui/use-server-action';
import { StepTitle } from '@/components/runbooks/step-title';
import { Button } from '@/components/ui/button';
import { CommandSnippet } from '@/components/checklists/command-snippet';
import { inputClasses } from '@/components/ui/field';
import { SearchPicker, type PickerOption } from '@/components/ui/search-picker';
import { addChecklistItemAction, attachRunbookAction, setItemStateAction } from '@/lib/checklists/actions';
import { FireForm } from '@/components/remediation/remediation-panel';
import type { ChecklistDto, ChecklistItemDto } from '@/lib/checklists/schema';
import type { ActionDto } from '@/lib/remediation/schema';
import type { IncidentFacts } from '@/lib/checklists/command-variables';
import { formatClock } from '@/lib/platform/time';

type RunbookChoice = { id: string; title: string; version: number };
type Props = {
  number: number;
  incident: IncidentFacts;
  checklists: ChecklistDto[];
  /** The runbooks that fit this incident, best first: offered before anything is typed. */
  suggested: RunbookChoice[];
  /** How many runbooks are left to attach; the rest of the library is searched as it is typed. */
  attachable: number;
  canWrite: boolean;
  actions: ActionDto[];
};

const runbookOption = (runbook: RunbookChoice): PickerOption => ({ value: runbook.id, label: `${runbook.title} (v${runbook.version})` });

function Progress({ done, skipped, total, label }: { done: number; skipped: number; total: number; label: string }) {
  const pct = total ? Math.round(((done + skipped) / total) * 100) : 0;
  return (
    <div className="flex items-center gap-2 text-xs text-zinc-500">
      <div role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={total} aria-valuenow={done + skipped} className="h-1.5 w-24 overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800">
        <div className="h-full bg-emerald-500" style={{ width: `${pct}%` }} />
      </div>
      <span className="tabular-nums">
        {done}/{total} done{skipped ? `, ${skipped} skipped` : ''}
      </span>
    </div>
  );
}

function Item({ number, incident, checklistId, item, canWrite, action }: { number: number; incident: IncidentFacts; checklistId: string; item: ChecklistItemDto; canWrite: boolean; action: ActionDto | undefined }) {
  const [firing, setFiring] = useState(false);
  const { run, pending, error } = useServerAction();
  // 'skip' asks why before skipping; 'note' adds a note to the step as it is.
  const [noting, setNoting] = useState<'skip' | 'note' | null>(null);
  const skipping = noting !== null;
  const setSkipping = (open: boolean) => setNoting(open ? 'skip' : null);
  const [note, setNote] = useState('');
  // The box shows the new state at once; it falls back if the server refuses.
  const [shownState, showState] = useOptimistic(item.state);
  const set = (state: ChecklistItemDto['state'], withNote?: string) =>
    run(
      () => {
        showState(state);
        return setItemStateAction(null, { number, checklistId, itemId: item.id, state, note: withNote });
      },
      () => {
        setNoting(null);
        setNote('');
      },
    );
  return (
    <li className={`py-1.5 ${item.state !== 'open' ? 'text-zinc-500' : ''}`} data-state={item.state}>
      <div className="flex items-start gap-2">
        <input
          type="checkbox"
          id={`item-${item.id}`}
          checked={shownState === 'done'}
          disabled={!canWrite || pending || shownState === 'skipped'}
          onChange={(e) => set(e.target.checked ? 'done' : 'open')}
          className="mt-0.5"
        />
        <div className="min-w-0 flex-1">
          <label htmlFor={`item-${item.id}`} className={`text-sm ${item.state === 'done' ? 'line-through decoration-zinc-400' : ''} ${item.state === 'skipped' ? 'italic' : ''}`}>
            <StepTitle title={item.title} />
          </label>
          {item.optional ? <span className="ml-2 rounded bg-zinc-100 px-1 text-[11px] text-zinc-600 dark:bg-zinc-800 dark:text-zinc-400">optional</span> : null}
          {item.adHoc ? <span className="ml-2 rounded bg-violet-50 px-1 text-[11px] text-violet-700 dark:bg-violet-950 dark:text-violet-300">added</span> : null}
          {item.state !== 'open' && item.by ? (
            <span className="ml-2 text-[11px] text-zinc-500">
              {item.state} by {item.by.name}
              {item.at ? ` at ${formatClock(item.at)}` : ''}
            </span>
          ) : null}
          {item.note ? <p className="text-xs text-zinc-600 dark:text-zinc-400">Note: {item.note}</p> : null}
          {item.detail ? <p className="whitespace-pre-wrap text-xs text-zinc-600 dark:text-zinc-400">{item.detail}</p> : null}
          {item.command ? <CommandSnippet command={item.command} incident={incident} /> : null}
          {item.remediationActionId ? (
            <div className="mt-1 flex flex-wrap items-center gap-2 text-xs">
              {action && canWrite && !action.disabled ? (
                <Button variant="secondary" className="px-2 py-0.5 text-xs" aria-label={`Run ${action.name} for step ${item.title}`} aria-expanded={firing} onClick={() => setFiring((open) => !open)}>
                  Run {action.name}…
                </Button>
              ) : (
                <span className="text-zinc-500">
                  Runs {action ? `“${action.name}”` : 'a remediation action'}
                  {action?.disabled ? ' (disabled)' : !action ? ' (admins only, or removed)' : ''}
                </span>
              )}
            </div>
          ) : null}
          {firing && action ? <FireForm number={number} action={action} checklistItemId={item.id} onDone={() => setFiring(false)} /> : null}
          {skipping ? (
            <form
              className="mt-1 flex gap-1.5"
              aria-label={noting === 'skip' ? `Skip ${item.title}` : `Note on ${item.title}`}
              onSubmit={(e) => {
                e.preventDefault();
                if (noting === 'skip') set('skipped', note);
                else set(item.state, note);
              }}
            >
              <label className="sr-only" htmlFor={`skip-${item.id}`}>
                {noting === 'skip' ? 'Why skip this step?' : 'Note on this step'}
              </label>
              <input
                id={`skip-${item.id}`}
                value={note}
                onChange={(e) => setNote(e.target.value)}
                placeholder={noting === 'skip' ? 'Why skip it? (required)' : 'What did you see or do?'}
                className={`${inputClasses} py-0.5 text-xs`}
                autoFocus
              />
              <Button type="submit" variant="secondary" className="px-2 py-0.5 text-xs" disabled={pending}>
                {noting === 'skip' ? 'Skip' : 'Save note'}
              </Button>
              <Button variant="ghost" className="px-2 py-0.5 text-xs" onClick={() => setSkipping(false)}>
                Cancel
              </Button>
            </form>
          ) : null}
          {error ? <p role="alert" className="text-xs text-red-600 dark:text-red-400">{error}</p> : null}
        </div>
        {canWrite && !skipping ? (
          <button
            type="button"
            className="text-xs text-zinc-500 hover:text-zinc-800 dark:hover:text-zinc-200"
            onClick={() => {
              setNote(item.note ?? '');
              setNoting('note');
            }}
            aria-label={`Add a note to ${item.title}`}
          >
            Note
          </button>
        ) : null}
        {canWrite && !skipping ? (
          item.state === 'open' ? (
            <button type="button" className="text-xs text-zinc-500 hover:text-zinc-800 dark:hover:text-zinc-200" onClick={() => setSkipping(true)} aria-label={`Skip ${item.title}`}>
              Skip
            </button>
          ) : item.state === 'skipped' ? (
            <button type="button" className="text-xs text-zinc-500 hover:text-zinc-800 dark:hover:text-zinc-200" onClick={() => set('open')} aria-label={`Reopen ${item.title}`}>
              Reopen
            </button>
          ) : null
        ) : null}
      </div>
    </li>
  );
}

function AddItem({ number, checklist }: { number: number; checklist: ChecklistDto }) {
  const { run, pending, error, fieldErrors } = useServerAction();
  const [title, setTitle] = useState('');
  return (
    <form
      className="mt-2 flex flex-wrap gap-1.5"
      aria-label={`Add a step to ${checklist.title}`}
      onSubmit={(e) => {
        e.preventDefault();
        run(() => addChecklistItemAction(null, { number, checklistId: checklist.id, title, phase: 'Added during the incident' }), () => setTitle(''));
      }}
    >
      <label className="sr-only" htmlFor={`add-${checklist.id}`}>
        New step
      </label>
      <input id={`add-${checklist.id}`} value={title} onChange={(e) => setTitle(e.target.value)} placeholder="A step the runbook missed…" className={`${inputClasses} min-w-0 flex-1 py-0.5 text-xs`} />
      <Button type="submit" variant="secondary" className="px-2 py-0.5 text-xs" disabled={pending || !title.trim()}>
        Add step
      </Button>
      {error || fieldErrors.title ? <p role="alert" className="w-full text-xs text-red-600">{fieldErrors.title ?? error}</p> : null}
    </form>
  );
}

export function ChecklistPanel({ number, incident, checklists, suggested, attachable, canWrite, actions }: Props) {
  const attach = useServerAction();
  const [choice, setChoice] = useState<PickerOption | null>(null);
  const attached = checklists.flatMap((c) => (c.runbook ? [c.runbook.id] : []));
  return (
    <div className="space-y-4">
      {checklists.length === 0 ? <p className="text-sm text-zinc-500">No runbook attached yet.</p> : null}
      {checklists.map((checklist) => {
        const phases = [...new Set(checklist.items.map((i) => i.phase))];
        return (
          <section key={checklist.id} aria-label={`Checklist ${checklist.title}`}>
            <div className="flex flex-wrap items-center justify-between gap-2">
              <h3 className="text-sm font-semibold">
                {checklist.title}
                {checklist.runbook ? <span className="ml-1 text-xs font-normal text-zinc-500">v{checklist.runbook.version}</span> : null}
              </h3>
              <Progress {...checklist.progress} label={`${checklist.title} progress`} />
            </div>
            {phases.map((phase) => {
              const items = checklist.items.filter((i) => i.phase === phase);
              const done = items.filter((i) => i.state === 'done').length;
              const skipped = items.filter((i) => i.state === 'skipped').length;
              return (
                <div key={phase} className="mt-2">
                  <div className="flex items-center justify-between gap-2 border-b border-zinc-100 pb-0.5 dark:border-zinc-800">
                    <h4 className="text-xs font-medium uppercase tracking-wide text-zinc-500">{phase}</h4>
                    <span className="text-[11px] tabular-nums text-zinc-500">
                      {done + skipped}/{items.length}
                    </span>
                  </div>
                  <ul className="divide-y divide-zinc-50 dark:divide-zinc-800/50">
                    {items.map((item) => (
                      <Item key={item.id} number={number} incident={incident} checklistId={checklist.id} item={item} canWrite={canWrite} action={item.remediationActionId ? actions.find((a) => a.id === item.remediationActionId) : undefined} />
                    ))}
                  </ul>
                </div>
              );
            })}
            {canWrite ? <AddItem number={number} checklist={checklist} /> : null}
          </section>
        );
      })}
      {canWrite && attachable > 0 ? (
        <form
          className="flex flex-wrap items-start gap-1.5 border-t border-zinc-100 pt-3 dark:border-zinc-800"
          aria-label="Attach a runbook"
          onSubmit={(e) => {
            e.preventDefault();
            if (choice) attach.run(() => attachRunbookAction(null, { number, runbookId: choice.value }), () => setChoice(null));
          }}
        >
          <SearchPicker
            id="attach-runbook"
            label="Runbook to attach"
            placeholder="Search runbooks…"
            list="inline"
            source="/api/v1/runbooks?limit=8"
            toOption={runbookOption}
            initial={suggested.length ? suggested.map(runbookOption) : undefined}
            initialCaption="Suggested for this incident · type to search all"
            exclude={attached}
            value={choice}
            onChange={setChoice}
            className="flex-1"
          />
          <Button type="submit" variant="secondary" disabled={attach.pending || !choice}>
            Attach
          </Button>
          {attach.error ? <p role="alert" className="w-full text-xs text-red-600">{attach.error}</p> : null}
        </form>
      ) : null}
    </div>
  );
}
