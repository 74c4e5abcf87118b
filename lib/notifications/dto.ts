// Notification rows as the API and the UI see them. A channel's target (a webhook URL is a
// credential) never leaves the server: only its hint does.
import type { NotificationChannel, Prisma } from '@/lib/generated/prisma/client';
import { incidentKey } from '@/lib/incidents/schema';
import type { ChannelDto, NotificationDto, NotificationEvent } from '@/lib/notifications/schema';

export function toChannelDto(channel: NotificationChannel): ChannelDto {
  return {
    id: channel.id,
    name: channel.name,
    kind: channel.kind,
    targetHint: channel.targetHint,
    events: channel.events as NotificationEvent[],
    severities: channel.severities,
    disabled: channel.disabledAt ? { at: channel.disabledAt.toISOString(), reason: channel.disabledReason ?? '' } : null,
    version: channel.version,
    createdAt: channel.createdAt.toISOString(),
    updatedAt: channel.updatedAt.toISOString(),
  };
}

export const notificationInclude = {
  channel: { select: { id: true, name: true, kind: true } },
  incident: { select: { number: true } },
  attempts: { orderBy: { number: 'asc' } },
} satisfies Prisma.NotificationInclude;

export type NotificationRow = Prisma.NotificationGetPayload<{ include: typeof notificationInclude }>;

export function toNotificationDto(row: NotificationRow): NotificationDto {
  return {
    id: row.id,
    channel: row.channel,
    incident: row.incident ? { number: row.incident.number, key: incidentKey(row.incident.number) } : null,
    event: row.event,
    subject: row.subject,
    status: row.status,
    attempts: row.attempts.map((a) => ({ number: a.number, at: a.at.toISOString(), statusCode: a.statusCode, error: a.error, durationMs: a.durationMs, excerpt: a.responseExcerpt })),
    nextAttemptAt: row.nextAttemptAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    completedAt: row.completedAt?.toISOString() ?? null,
  };
}
