// On-call rows as the API and the screens see them. A contact method's target (an address, a
// topic or webhook URL: credentials) never leaves the server, only its hint; ack tokens and feed
// keys are never stored, so they cannot leak from here.
import 'server-only';
import type { Prisma } from '@/lib/generated/prisma/client';
import { incidentKey } from '@/lib/incidents/schema';
import { nextEscalationStep } from '@/lib/oncall/escalation';
import type { EscalationPolicy, Layer, NotificationStatus, PageDto, PageGap, PageNotificationDto, ScheduleDto } from '@/lib/oncall/schema';
import { publicUrl } from '@/lib/platform/urls';

export function toScheduleDto(schedule: { id: string; name: string; timeZone: string; layers: Prisma.JsonValue; version: number }): ScheduleDto {
  return { id: schedule.id, name: schedule.name, timeZone: schedule.timeZone, layers: schedule.layers as Layer[], version: schedule.version };
}

export type PolicyDto = { id: string; name: string; repeat: number; levels: EscalationPolicy['levels']; version: number };

export function toPolicyDto(policy: { id: string; name: string; repeat: number; levels: Prisma.JsonValue; version: number }): PolicyDto {
  return { id: policy.id, name: policy.name, repeat: policy.repeat, levels: policy.levels as EscalationPolicy['levels'], version: policy.version };
}

export type OverrideDto = { id: string; email: string; name: string; start: string; end: string; createdBy: { email: string } | null; createdAt: string };

export function toOverrideDto(override: { id: string; startsAt: Date; endsAt: Date; createdAt: Date; user: { email: string; name: string }; createdBy: { email: string } | null }): OverrideDto {
  return {
    id: override.id,
    email: override.user.email,
    name: override.user.name,
    start: override.startsAt.toISOString(),
    end: override.endsAt.toISOString(),
    createdBy: override.createdBy ? { email: override.createdBy.email } : null,
    createdAt: override.createdAt.toISOString(),
  };
}

const person = { select: { email: true, name: true } } as const;

export const pageInclude = {
  incident: { select: { number: true } },
  triggeredBy: person,
  acknowledgedBy: person,
  resolvedBy: person,
  notifications: {
    // Tests of contact methods are not part of any page.
    orderBy: [{ assignment: 'asc' }, { cycle: 'asc' }, { level: 'asc' }, { dueAt: 'asc' }, { createdAt: 'asc' }],
    include: { user: person, contactMethod: { select: { label: true } }, attempts: { orderBy: { number: 'desc' }, take: 1 } },
  },
} satisfies Prisma.PageInclude;

export type PageRow = Prisma.PageGetPayload<{ include: typeof pageInclude }>;

type NotificationRow = PageRow['notifications'][number];

export function notificationStatus(status: NotificationRow['status']): NotificationStatus {
  if (status === 'succeeded') return 'sent';
  if (status === 'retrying') return 'pending';
  return status;
}

export function toPageNotificationDto(row: NotificationRow): PageNotificationDto {
  const last = row.attempts[0];
  return {
    id: row.id,
    at: (row.completedAt ?? row.dueAt).toISOString(),
    dueAt: row.dueAt.toISOString(),
    level: row.level,
    cycle: row.cycle,
    user: { email: row.user.email, name: row.user.name },
    kind: row.kind,
    label: row.contactMethod?.label ?? null,
    status: notificationStatus(row.status),
    attempts: row.attemptCount,
    error: row.status === 'succeeded' ? null : (row.lastError ?? last?.error ?? null),
  };
}

type StoredTarget = { policy: string; name?: string | null } | { schedule: string; name?: string | null } | { user: string; name?: string | null };

/** When the level after the current one falls due, while the page waits for an acknowledgement. */
export function nextEscalationAt(page: Pick<PageRow, 'status' | 'level' | 'cycle' | 'levelAt' | 'policy'>): Date | null {
  if (page.status !== 'triggered') return null;
  const policy = page.policy as EscalationPolicy;
  if (!nextEscalationStep(policy, { level: page.level, round: page.cycle })) return null;
  return new Date(page.levelAt.getTime() + (policy.levels[page.level - 1]?.delaySeconds ?? 0) * 1000);
}

export function toPageDto(page: PageRow): PageDto {
  const policy = page.policy as EscalationPolicy;
  const target = page.target as StoredTarget;
  const name = target.name ?? null;
  const next = nextEscalationAt(page);
  return {
    id: page.id,
    title: page.title,
    details: page.details,
    status: page.status,
    level: page.level,
    cycle: page.cycle,
    levels: policy.levels.length,
    cycles: policy.repeat + 1,
    target: 'policy' in target ? { policy: target.policy, name } : 'schedule' in target ? { schedule: target.schedule, name } : { user: target.user, name },
    incident: page.incident ? { number: page.incident.number, key: incidentKey(page.incident.number) } : null,
    createdAt: page.createdAt.toISOString(),
    triggeredBy: page.triggeredBy,
    source: page.source,
    acknowledgedAt: page.acknowledgedAt?.toISOString() ?? null,
    acknowledgedBy: page.acknowledgedBy,
    resolvedAt: page.resolvedAt?.toISOString() ?? null,
    resolvedBy: page.resolvedBy,
    nextEscalationAt: next?.toISOString() ?? null,
    exhaustedAt: page.exhaustedAt?.toISOString() ?? null,
    gaps: (page.gaps as PageGap[]) ?? [],
    // Every notification, also those sent before a reassignment, in the order they went out.
    notifications: page.notifications.map(toPageNotificationDto),
    url: publicUrl(`/pages?page=${page.id}`),
  };
}
