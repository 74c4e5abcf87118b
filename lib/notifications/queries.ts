import 'server-only';
import { db } from '@/lib/platform/db';
import { findVisibleIncident, type Viewer } from '@/lib/incidents/visibility';
import { notificationInclude, toChannelDto, toNotificationDto } from '@/lib/notifications/dto';
import type { ChannelDto, NotificationDto } from '@/lib/notifications/schema';

export async function listChannels(): Promise<ChannelDto[]> {
  return (await db.notificationChannel.findMany({ orderBy: { name: 'asc' } })).map(toChannelDto);
}

export async function getChannel(id: string): Promise<ChannelDto | null> {
  const channel = await db.notificationChannel.findUnique({ where: { id } });
  return channel ? toChannelDto(channel) : null;
}

export async function getNotification(id: string): Promise<NotificationDto | null> {
  const row = await db.notification.findUnique({ where: { id }, include: notificationInclude });
  return row ? toNotificationDto(row) : null;
}

/** An incident's notifications with their attempts, oldest first; null when there is no such incident or `viewer` may not see it. */
export async function listIncidentNotifications(number: number, viewer: Viewer): Promise<NotificationDto[] | null> {
  const incident = await findVisibleIncident(db, number, viewer, { id: true });
  if (!incident) return null;
  const rows = await db.notification.findMany({ where: { incidentId: incident.id }, include: notificationInclude, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: 500 });
  return rows.map(toNotificationDto);
}

/** A channel's latest notifications (tests included), newest first: the edit page shows them. */
export async function listChannelNotifications(channelId: string, take = 10): Promise<NotificationDto[]> {
  const rows = await db.notification.findMany({ where: { channelId }, include: notificationInclude, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take });
  return rows.map(toNotificationDto);
}
