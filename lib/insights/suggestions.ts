// Runbooks that learn: what a runbook's checklists taught, turned into edits a person can make in
// one click ("add this ad-hoc step after step 4", "mark step 7 optional", "remove step 2", "add a
// step that runs the action people fired by hand"). Pure: feedback and the runbook in, suggestions
// out; and a suggestion applied to the runbook's phases, for the editor to show before saving.
import { z } from 'zod';
import type { RunbookFeedbackDto } from '@/lib/insights/schema';
import type { RunbookDto } from '@/lib/runbooks/schema';

export const suggestionSchema = z.discriminatedUnion('suggest', [
  z.object({ suggest: z.literal('add'), title: z.string().trim().min(1).max(300), phase: z.string().trim().max(200), after: z.string().max(64).optional(), incident: z.coerce.number().int().positive() }),
  z.object({ suggest: z.literal('optional'), step: z.string().min(1).max(64), incident: z.coerce.number().int().positive() }),
  z.object({ suggest: z.literal('remove'), step: z.string().min(1).max(64), incident: z.coerce.number().int().positive() }),
  z.object({ suggest: z.literal('action'), action: z.uuid(), title: z.string().trim().min(1).max(300), incident: z.coerce.number().int().positive() }),
]);
export type Suggestion = z.infer<typeof suggestionSchema>;

export type SuggestionView = { suggestion: Suggestion; text: string; why: string };

type Phases = RunbookDto['phases'];

/** "phase 2, step 4" of a step id, as the runbook page numbers them. */
function whereIs(phases: Phases, stepId: string): { phase: number; step: number; title: string } | null {
  for (const [p, phase] of phases.entries()) {
    const s = phase.steps.findIndex((step) => step.id === stepId);
    if (s !== -1) return { phase: p, step: s, title: phase.steps[s]!.title };
  }
  return null;
}

function stepByTitle(phases: Phases, title: string) {
  for (const phase of phases) for (const step of phase.steps) if (step.title === title) return step;
  return null;
}

const latest = (incidents: number[]) => Math.max(...incidents);

/**
 * What to change, from the feedback: a step added ad hoc goes after the step people ticked just
 * before it; a step skipped in at least half of the checklists (twice or more) becomes optional,
 * and one skipped in every checklist (three or more) is suggested for removal; an action fired
 * outside the runbook gets a step of its own at the end. Each is credited to the latest incident
 * that showed it.
 */
export function suggestEdits(runbook: Pick<RunbookDto, 'phases'>, feedback: RunbookFeedbackDto): SuggestionView[] {
  const phases = runbook.phases;
  const views: SuggestionView[] = [];
  for (const added of feedback.added) {
    if (stepByTitle(phases, added.title)) continue; // already in the runbook
    const after = added.afterStep ? stepByTitle(phases, added.afterStep) : null;
    const place = after ? whereIs(phases, after.id) : null;
    const phase = place ? phases[place.phase]! : (phases.find((p) => p.title === added.phase) ?? phases.at(-1)!);
    views.push({
      suggestion: { suggest: 'add', title: added.title, phase: phase.title, ...(after ? { after: after.id } : {}), incident: latest(added.incidents) },
      text: place ? `Add “${added.title}” after step ${place.step + 1} of ${phase.title}` : `Add “${added.title}” to ${phase.title}`,
      why: `added by hand in ${added.count} checklist${added.count === 1 ? '' : 's'}`,
    });
  }
  for (const skipped of feedback.skipped) {
    const step = stepByTitle(phases, skipped.stepTitle);
    if (!step) continue;
    const place = whereIs(phases, step.id)!;
    const where = `step ${place.step + 1} of ${phases[place.phase]!.title}`;
    const why = `skipped in ${skipped.count} of ${skipped.of} checklists${skipped.notes[0] ? `: “${skipped.notes[0]}”` : ''}`;
    if (skipped.count >= 3 && skipped.count === skipped.of) {
      views.push({ suggestion: { suggest: 'remove', step: step.id, incident: latest(skipped.incidents) }, text: `Remove ${where} (“${step.title}”)`, why });
    } else if (skipped.count >= 2 && skipped.count * 2 >= skipped.of && !step.optional) {
      views.push({ suggestion: { suggest: 'optional', step: step.id, incident: latest(skipped.incidents) }, text: `Mark ${where} (“${step.title}”) optional`, why });
    }
  }
  for (const fired of feedback.outsideActions) {
    if (phases.some((p) => p.steps.some((s) => s.remediationActionId === fired.actionId))) continue;
    views.push({
      suggestion: { suggest: 'action', action: fired.actionId, title: `Run “${fired.action}”`, incident: latest(fired.incidents) },
      text: `Add a step that runs “${fired.action}” to ${phases.at(-1)!.title}`,
      why: `fired outside the runbook in ${fired.count} incident${fired.count === 1 ? '' : 's'}`,
    });
  }
  return views;
}

/** The suggestion as the edit page's query string. */
export function suggestionQuery(suggestion: Suggestion): string {
  return new URLSearchParams(Object.entries(suggestion).map(([k, v]) => [k, String(v)])).toString();
}

export type AppliedSuggestion = { phases: Phases; changeNote: string; stepId: string; incident: number };

/**
 * The runbook's phases with the suggestion made, the change note that credits the incident, and
 * the step to highlight; null when it no longer applies (the step is gone, or already there).
 */
export function applySuggestion(phases: Phases, suggestion: Suggestion, newId: () => string): AppliedSuggestion | null {
  const copy: Phases = phases.map((phase) => ({ ...phase, steps: phase.steps.map((step) => ({ ...step })) }));
  const from = `(from INC-${suggestion.incident})`;
  const blank = { detail: '', command: null, expectedOutcome: null, remediationActionId: null, optional: false };
  if (suggestion.suggest === 'add' || suggestion.suggest === 'action') {
    if (copy.some((p) => p.steps.some((s) => s.title === suggestion.title))) return null;
    const id = newId();
    const step = { ...blank, id, title: suggestion.title, ...(suggestion.suggest === 'action' ? { remediationActionId: suggestion.action } : {}) };
    const anchor = suggestion.suggest === 'add' && suggestion.after ? whereIs(copy, suggestion.after) : null;
    if (anchor) copy[anchor.phase]!.steps.splice(anchor.step + 1, 0, step);
    else {
      const phase = (suggestion.suggest === 'add' ? copy.find((p) => p.title === suggestion.phase) : undefined) ?? copy.at(-1)!;
      phase.steps.push(step);
    }
    const note = anchor ? `Added “${suggestion.title}” after “${anchor.title}” ${from}` : `Added “${suggestion.title}” ${from}`;
    return { phases: copy, changeNote: note, stepId: id, incident: suggestion.incident };
  }
  const place = whereIs(copy, suggestion.step);
  if (!place) return null;
  if (suggestion.suggest === 'optional') {
    const step = copy[place.phase]!.steps[place.step]!;
    if (step.optional) return null;
    step.optional = true;
    return { phases: copy, changeNote: `Marked “${place.title}” optional ${from}`, stepId: step.id, incident: suggestion.incident };
  }
  copy[place.phase]!.steps.splice(place.step, 1);
  return { phases: copy, changeNote: `Removed “${place.title}” ${from}`, stepId: suggestion.step, incident: suggestion.incident };
}
