import Link from 'next/link';
import { shortDuration } from '@/components/insights/chart-frame';
import { Card } from '@/components/ui/card';
import type { RunbookFeedbackDto } from '@/lib/insights/schema';
import { suggestionQuery, type SuggestionView } from '@/lib/insights/suggestions';

const incidentLinks = (numbers: number[]) =>
  numbers.slice(0, 6).map((n, i) => (
    <span key={n}>
      {i ? ', ' : ''}
      <Link href={`/incidents/${n}`} className="font-mono hover:underline">
        INC-{n}
      </Link>
    </span>
  ));

/** A runbook's page: what every checklist made from it taught, and the edits that follow, one click each. */
export function RunbookFeedback({ runbookId, feedback, suggestions, canEdit }: { runbookId: string; feedback: RunbookFeedbackDto; suggestions: SuggestionView[]; canEdit: boolean }) {
  const nothing = !feedback.skipped.length && !feedback.added.length && !feedback.slowest.length && !feedback.outsideActions.length;
  return (
    <Card title={`What its checklists taught (${feedback.checklists} checklist${feedback.checklists === 1 ? '' : 's'})`}>
      {nothing ? (
        <p className="text-sm text-zinc-500">Attach it to an incident: every step ticked, skipped or added shows up here.</p>
      ) : (
        <div className="space-y-3 text-sm">
          {suggestions.length ? (
            <section aria-label="Suggested edits">
              <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-zinc-500">Suggested edits</h3>
              <ul className="space-y-1.5">
                {suggestions.map((s) => (
                  <li key={suggestionQuery(s.suggestion)} className="flex flex-wrap items-baseline justify-between gap-2">
                    <span className="min-w-0">
                      {s.text} <span className="text-xs text-zinc-500">({s.why})</span>
                    </span>
                    {canEdit ? (
                      <Link href={`/runbooks/${runbookId}/edit?${suggestionQuery(s.suggestion)}`} className="shrink-0 rounded border border-sky-300 px-1.5 py-0.5 text-xs text-sky-800 hover:bg-sky-50 dark:border-sky-800 dark:text-sky-300 dark:hover:bg-sky-950">
                        Edit the runbook
                      </Link>
                    ) : null}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          {feedback.skipped.length ? (
            <section aria-label="Steps skipped">
              <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-zinc-500">Steps skipped</h3>
              <ul className="space-y-1">
                {feedback.skipped.map((s) => (
                  <li key={s.stepTitle}>
                    <span className="font-medium">{s.stepTitle}</span> <span className="text-xs text-zinc-500">skipped {s.count} of {s.of} times</span>
                    {s.notes.length ? <ul className="ml-4 list-disc text-xs text-zinc-600 dark:text-zinc-400">{[...new Set(s.notes)].slice(0, 3).map((note) => <li key={note}>“{note}”</li>)}</ul> : null}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          {feedback.added.length ? (
            <section aria-label="Steps added during incidents">
              <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-zinc-500">Steps added during incidents</h3>
              <ul className="space-y-1">
                {feedback.added.map((a) => (
                  <li key={a.title}>
                    <span className="font-medium">{a.title}</span>{' '}
                    <span className="text-xs text-zinc-500">
                      {a.count}× {a.afterStep ? `after “${a.afterStep}”` : `in ${a.phase}`} · {incidentLinks(a.incidents)}
                    </span>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          {feedback.slowest.length ? (
            <section aria-label="Slowest steps">
              <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-zinc-500">Slowest steps (median time to tick)</h3>
              <ul className="space-y-0.5">
                {feedback.slowest.map((s) => (
                  <li key={s.stepTitle} className="flex justify-between gap-2">
                    <span className="min-w-0 truncate">{s.stepTitle}</span>
                    <span className="shrink-0 tabular-nums text-zinc-600 dark:text-zinc-400">
                      {shortDuration(s.medianSeconds)} <span className="text-xs text-zinc-500">({s.samples})</span>
                    </span>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          {feedback.outsideActions.length ? (
            <section aria-label="Remediation fired outside the runbook">
              <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-zinc-500">Remediation fired outside the runbook</h3>
              <ul className="space-y-0.5">
                {feedback.outsideActions.map((a) => (
                  <li key={a.actionId}>
                    <span className="font-medium">{a.action}</span> <span className="text-xs text-zinc-500">{a.count}× · {incidentLinks(a.incidents)}</span>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
        </div>
      )}
    </Card>
  );
}
