'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { defineAction } from '@/lib/platform/auth/action';
import { channelInputSchema } from '@/lib/notifications/schema';
import { createChannel, sendTestNotification, setChannelEnabled, updateChannel } from '@/lib/notifications/service';

const channelId = z.uuid({ error: 'Unknown notification channel' });

/** Settings → Notifications: add a channel. */
export const createNotificationChannel = defineAction('settings.manage', channelInputSchema, async (input, { actor, requestId }) => {
  const channel = await createChannel(input, { actor, requestId });
  revalidatePath('/settings/notifications');
  return channel;
});

/** Saves an edited channel; an empty target keeps the stored one. */
export const updateNotificationChannel = defineAction(
  'settings.manage',
  channelInputSchema.extend({ id: channelId, version: z.number().int().positive() }),
  async ({ id, version, ...input }, { actor, requestId }) => {
    const channel = await updateChannel(id, input, { ifVersion: version }, { actor, requestId });
    revalidatePath('/settings/notifications');
    return channel;
  },
);

export const setNotificationChannelEnabled = defineAction('settings.manage', z.object({ id: channelId, enabled: z.boolean() }), async ({ id, enabled }, { actor, requestId }) => {
  const channel = await setChannelEnabled(id, enabled, { actor, requestId });
  revalidatePath('/settings/notifications');
  return channel;
});

/** "Send test": queues a real message to the channel. */
export const sendNotificationChannelTest = defineAction('settings.manage', z.object({ id: channelId }), async ({ id }, { actor, requestId }) => {
  const notification = await sendTestNotification(id, { actor, requestId });
  revalidatePath(`/settings/notifications/${id}`);
  return { id: notification.id, status: notification.status };
});
