// Runbooks that learn: feedback turned into edits, and an edit applied to the runbook's phases.
import { describe, expect, it } from 'vitest';
import type { RunbookFeedbackDto } from '@/lib/insights/schema';
import { applySuggestion, suggestEdits, suggestionQuery, suggestionSchema } from '@/lib/insights/suggestions';
import type { RunbookDto } from '@/lib/runbooks/schema';

const step = (id: string, title: string, extra: Partial<RunbookDto['phases'][number]['steps'][number]> = {}) => ({ id, title, detail: '', command: null, expectedOutcome: null, remediationActionId: null, optional: false, ...extra });
const phases: RunbookDto['phases'] = [
  { title: 'Immediate actions', timeBudget: null, steps: [step('s1', 'Confirm the deploy'), step('s2', 'Freeze further deploys')] },
  { title: 'Recovery', timeBudget: null, steps: [step('s3', 'Roll back'), step('s4', 'Watch the error rate'), step('s5', 'Announce the rollback')] },
];
const feedback = (over: Partial<RunbookFeedbackDto>): RunbookFeedbackDto => ({ runbook: { id: 'r', title: 'Rollback', version: 1 }, checklists: 4, skipped: [], added: [], slowest: [], outsideActions: [], ...over });
let ids = 0;
const newId = () => `new-${++ids}`;

describe('suggestEdits', () => {
  it('places an ad-hoc step after the step ticked before it, credited to the latest incident', () => {
    const [view] = suggestEdits({ phases }, feedback({ added: [{ title: 'Purge the CDN', phase: 'Recovery', count: 3, incidents: [4, 9, 7], afterStep: 'Roll back' }] }));
    expect(view!.suggestion).toEqual({ suggest: 'add', title: 'Purge the CDN', phase: 'Recovery', after: 's3', incident: 9 });
    expect(view!.text).toBe('Add “Purge the CDN” after step 1 of Recovery');
  });

  it('makes a step skipped in half the checklists optional, and suggests removing one skipped in all of three or more', () => {
    const views = suggestEdits(
      { phases },
      feedback({
        skipped: [
          { stepTitle: 'Freeze further deploys', count: 2, of: 4, notes: ['no deploys queued'], incidents: [3, 5] },
          { stepTitle: 'Announce the rollback', count: 3, of: 3, notes: [], incidents: [3, 5, 8] },
          { stepTitle: 'Watch the error rate', count: 1, of: 4, notes: [], incidents: [8] },
        ],
      }),
    );
    expect(views.map((v) => v.suggestion)).toEqual([
      { suggest: 'optional', step: 's2', incident: 5 },
      { suggest: 'remove', step: 's5', incident: 8 },
    ]);
    expect(views[0]!.why).toBe('skipped in 2 of 4 checklists: “no deploys queued”');
  });

  it('suggests a step for an action fired by hand, and nothing already in the runbook', () => {
    const actionId = '0b5f3e0e-5d7e-4f55-9a55-3c1f1c0a0a0a';
    const views = suggestEdits(
      { phases: [...phases.slice(0, 1), { ...phases[1]!, steps: [...phases[1]!.steps, step('s6', 'Purge the CDN')] }] },
      feedback({ added: [{ title: 'Purge the CDN', phase: 'Recovery', count: 1, incidents: [2], afterStep: null }], outsideActions: [{ action: 'Restart checkout', actionId, count: 2, incidents: [2, 6] }] }),
    );
    expect(views.map((v) => v.suggestion)).toEqual([{ suggest: 'action', action: actionId, title: 'Run “Restart checkout”', incident: 6 }]);
  });
});

describe('applySuggestion', () => {
  it('inserts the added step right after its anchor and names the incident in the change note', () => {
    const applied = applySuggestion(phases, { suggest: 'add', title: 'Purge the CDN', phase: 'Recovery', after: 's3', incident: 9 }, newId)!;
    expect(applied.phases[1]!.steps.map((s) => s.title)).toEqual(['Roll back', 'Purge the CDN', 'Watch the error rate', 'Announce the rollback']);
    expect(applied.changeNote).toBe('Added “Purge the CDN” after “Roll back” (from INC-9)');
    expect(applied.phases[1]!.steps[1]!.id).toBe(applied.stepId);
    expect(phases[1]!.steps).toHaveLength(3); // the original is untouched
  });

  it('marks a step optional, removes one, and refuses what no longer applies', () => {
    expect(applySuggestion(phases, { suggest: 'optional', step: 's2', incident: 5 }, newId)!.phases[0]!.steps[1]!.optional).toBe(true);
    const removed = applySuggestion(phases, { suggest: 'remove', step: 's5', incident: 8 }, newId)!;
    expect(removed.phases[1]!.steps.map((s) => s.id)).toEqual(['s3', 's4']);
    expect(removed.changeNote).toBe('Removed “Announce the rollback” (from INC-8)');
    expect(applySuggestion(phases, { suggest: 'remove', step: 'gone', incident: 8 }, newId)).toBeNull();
    expect(applySuggestion(phases, { suggest: 'add', title: 'Roll back', phase: 'Recovery', incident: 1 }, newId)).toBeNull();
  });

  it('round-trips through the edit page’s query string', () => {
    const suggestion = { suggest: 'add' as const, title: 'Purge the CDN & wait', phase: 'Recovery', after: 's3', incident: 9 };
    expect(suggestionSchema.parse(Object.fromEntries(new URLSearchParams(suggestionQuery(suggestion))))).toEqual(suggestion);
  });
});
