import { z } from 'zod';
import { defineOperation } from '@/lib/platform/http/operation';
import { incidentNumberSchema } from '@/lib/incidents/schema';
import { channelInputSchema, channelSchema, notificationSchema } from '@/lib/notifications/schema';

const channelIdParams = z.object({ id: z.uuid({ error: 'notification channel ids are UUIDs' }) });

export const listChannelsOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/notification-channels',
  summary: 'Notification channels (admin). Targets are never returned, only `targetHint` (e.g. "hooks.slack.com/…/x7Qa").',
  tag: 'Notifications',
  permission: 'settings.manage',
  responses: { 200: { description: 'Channels', schema: z.object({ items: z.array(channelSchema) }) } },
});

export const createChannelOperation = defineOperation({
  method: 'POST',
  path: '/api/v1/notification-channels',
  summary:
    'Add a channel (admin): `kind` slack, teams or webhook with the incoming-webhook URL as `target` (refused with 422 when it is, or resolves to, an internal address unless its host is in SITREP_WEBHOOK_ALLOW_HOSTS), or email with comma-separated addresses (needs SITREP_SMTP_URL). `events` to announce; `severities` empty for all.',
  tag: 'Notifications',
  permission: 'settings.manage',
  body: channelInputSchema,
  responses: { 201: { description: 'The channel', schema: channelSchema } },
});

export const getChannelOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/notification-channels/{id}',
  summary: 'One channel (admin). Its ETag is the version to send in If-Match when updating.',
  tag: 'Notifications',
  permission: 'settings.manage',
  params: channelIdParams,
  responses: { 200: { description: 'The channel', schema: channelSchema } },
});

export const updateChannelOperation = defineOperation({
  method: 'PUT',
  path: '/api/v1/notification-channels/{id}',
  summary: 'Replace a channel (admin). Leave `target` out to keep the stored one (not when changing `kind`). Optional `If-Match: "<version>"`: 412 when someone saved it since.',
  tag: 'Notifications',
  permission: 'settings.manage',
  params: channelIdParams,
  body: channelInputSchema,
  responses: { 200: { description: 'The saved channel', schema: channelSchema } },
});

export const setChannelEnabledOperation = defineOperation({
  method: 'POST',
  path: '/api/v1/notification-channels/{id}/enabled',
  summary: 'Enable (`{"enabled": true}`) a channel — e.g. one its receiver disabled with 410 Gone — or disable it so nothing more is sent to it.',
  tag: 'Notifications',
  permission: 'settings.manage',
  params: channelIdParams,
  body: z.object({ enabled: z.boolean({ error: 'enabled is true or false' }) }),
  responses: { 200: { description: 'The channel', schema: channelSchema } },
});

export const testChannelOperation = defineOperation({
  method: 'POST',
  path: '/api/v1/notification-channels/{id}/test',
  summary: '"Send test" (admin): queues a real test message to the channel and answers 202 with the queued notification; its attempts show on the channel’s page in Settings → Notifications. 409 when the channel is disabled.',
  tag: 'Notifications',
  permission: 'settings.manage',
  params: channelIdParams,
  responses: { 202: { description: 'The test notification, pending', schema: notificationSchema } },
});

export const listIncidentNotificationsOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/incidents/{number}/notifications',
  summary: 'The notifications sent about an incident, oldest first, with every attempt (HTTP status or SMTP reply code, error, duration).',
  tag: 'Notifications',
  permission: 'read',
  params: z.object({ number: incidentNumberSchema }),
  responses: { 200: { description: 'Notifications', schema: z.object({ items: z.array(notificationSchema) }) } },
});
