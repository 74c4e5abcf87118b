'use client';

import { Countdown } from '@/components/incidents/countdown';
import { useIncidentState } from '@/components/incidents/command/incident-state';
import { isOpen } from '@/lib/incidents/lifecycle';

type Props = {
  severity: { key: string; responseTargetMinutes: number; updateCadenceMinutes: number };
  nextUpdateDueAt: string | null;
  youOweTheUpdate: boolean;
};

/** The severity's targets and what is due next: the response (until acknowledged) and the next status update. */
export function Targets({ severity, nextUpdateDueAt, youOweTheUpdate }: Props) {
  const { incident } = useIncidentState();
  const open = isOpen(incident.status);
  const responseDue = open && !incident.times.acknowledgedAt ? new Date(new Date(incident.times.declaredAt).getTime() + severity.responseTargetMinutes * 60_000).toISOString() : null;
  return (
    <div className="space-y-1 text-xs">
      {responseDue ? (
        <p>
          <Countdown due={responseDue} label="Response" />
        </p>
      ) : null}
      {open && nextUpdateDueAt ? (
        <p>
          <Countdown due={nextUpdateDueAt} label="Next update" />
          {youOweTheUpdate ? <span className="ml-1 font-medium text-zinc-700 dark:text-zinc-300">(yours)</span> : null}
        </p>
      ) : null}
      <dl className="grid grid-cols-2 gap-y-0.5 text-zinc-600 dark:text-zinc-400">
        <dt>{severity.key}: respond within</dt>
        <dd className="text-right tabular-nums">{severity.responseTargetMinutes} min</dd>
        <dt>Update every</dt>
        <dd className="text-right tabular-nums">{severity.updateCadenceMinutes} min</dd>
      </dl>
    </div>
  );
}
