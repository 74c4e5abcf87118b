// /alerts arranges alerts in their groups, most urgent group first. Pure, so the server's first
// render and the browser's live refetches arrange them the same way.
import type { AlertDto, AlertStatus } from '@/lib/alerts/schema';

export type AlertGroupView = {
  groupId: string;
  groupKey: string;
  title: string;
  source: AlertDto['source'];
  alerts: AlertDto[];
  /** The most urgent status among its alerts. */
  status: AlertStatus;
  lastSeenAt: string;
  incident: AlertDto['incident'];
  routing: AlertDto['routing'];
};

const urgency: Record<AlertStatus, number> = { firing: 0, acknowledged: 1, silenced: 2, resolved: 3 };

export function groupAlerts(alerts: AlertDto[]): AlertGroupView[] {
  const groups = new Map<string, AlertGroupView>();
  for (const alert of alerts) {
    let group = groups.get(alert.groupId);
    if (!group) {
      group = { groupId: alert.groupId, groupKey: alert.groupKey, title: alert.title, source: alert.source, alerts: [], status: alert.status, lastSeenAt: alert.lastSeenAt, incident: alert.incident, routing: alert.routing };
      groups.set(alert.groupId, group);
    }
    group.alerts.push(alert);
    if (urgency[alert.status] < urgency[group.status]) group.status = alert.status;
    if (alert.lastSeenAt > group.lastSeenAt) group.lastSeenAt = alert.lastSeenAt;
    group.incident ??= alert.incident;
  }
  for (const group of groups.values()) group.alerts.sort((a, b) => urgency[a.status] - urgency[b.status] || (a.lastSeenAt < b.lastSeenAt ? 1 : -1));
  return [...groups.values()].sort((a, b) => urgency[a.status] - urgency[b.status] || (a.lastSeenAt < b.lastSeenAt ? 1 : -1));
}

/** TanStack Query keys of the alerts domain. */
export const alertKeys = {
  all: ['alerts'] as const,
  list: (query: string) => ['alerts', 'list', query] as const,
  incident: (number: number) => ['alerts', 'incident', number] as const,
};
