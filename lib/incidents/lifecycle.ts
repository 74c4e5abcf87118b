// THE STATUS LIFECYCLE. investigating → identified → monitoring → resolved → closed.
// - Any move between the three open statuses is allowed, and any open status may go straight to
//   resolved.
// - closed only from resolved.
// - Moving a resolved or closed incident back to an open status is a reopen and needs a reason.
// - Setting the current status again changes nothing.
// Key times follow the moves: mitigated = the first time the incident reached monitoring (or
// resolved, if it skipped monitoring), resolved/closed = when it got there (cleared on reopen).
import { InvalidTransitionError, ValidationError } from '@/lib/platform/errors';

export const incidentStatuses = ['investigating', 'identified', 'monitoring', 'resolved', 'closed'] as const;
export type IncidentStatus = (typeof incidentStatuses)[number];
export const statusLabels: Record<IncidentStatus, string> = {
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
  closed: 'Closed',
};
export const openStatuses = ['investigating', 'identified', 'monitoring'] as const satisfies readonly IncidentStatus[];

export function isOpen(status: IncidentStatus): boolean {
  return (openStatuses as readonly string[]).includes(status);
}

export type KeyTimes = { mitigatedAt: Date | null; resolvedAt: Date | null; closedAt: Date | null };

export type StatusChange =
  | { kind: 'none' }
  | { kind: 'move' | 'reopen'; from: IncidentStatus; to: IncidentStatus; times: Partial<KeyTimes> };

/** Where an incident in `status` may go next, in lifecycle order. */
export function allowedNextStatuses(status: IncidentStatus): IncidentStatus[] {
  if (isOpen(status)) return incidentStatuses.filter((s) => s !== status && s !== 'closed');
  if (status === 'resolved') return ['closed', ...openStatuses];
  return [...openStatuses];
}

function list(statuses: readonly string[]): string {
  return statuses.length <= 1 ? (statuses[0] ?? '') : `${statuses.slice(0, -1).join(', ')} or ${statuses.at(-1)}`;
}

export function planStatusChange(
  current: { key: string; status: IncidentStatus; times: KeyTimes },
  to: IncidentStatus,
  options: { reason?: string | null; now: Date },
): StatusChange {
  const from = current.status;
  if (from === to) return { kind: 'none' };
  const reason = options.reason?.trim();

  if (!isOpen(from) && isOpen(to)) {
    if (!reason) {
      throw new ValidationError([{ path: 'reason', message: `Reopening ${current.key} (now ${from}) needs a reason: say what happened.` }]);
    }
    return { kind: 'reopen', from, to, times: { resolvedAt: null, closedAt: null } };
  }
  if (!allowedNextStatuses(from).includes(to)) {
    const hint = to === 'closed' ? ' An incident is closed only once it is resolved.' : '';
    throw new InvalidTransitionError(`${current.key} is ${from}; it can move to ${list(allowedNextStatuses(from))}, not ${to}.${hint}`);
  }

  const times: Partial<KeyTimes> = {};
  if ((to === 'monitoring' || to === 'resolved') && !current.times.mitigatedAt) times.mitigatedAt = options.now;
  if (to === 'resolved') times.resolvedAt = options.now;
  if (to === 'closed') times.closedAt = options.now;
  return { kind: 'move', from, to, times };
}
