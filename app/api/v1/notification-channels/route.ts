import { etag } from '@/lib/platform/http/etag';
import { apiRoute, json } from '@/lib/platform/http/route';
import { createChannelOperation, listChannelsOperation } from '@/lib/notifications/operations';
import { listChannels } from '@/lib/notifications/queries';
import { createChannel } from '@/lib/notifications/service';

export const GET = apiRoute(listChannelsOperation, async () => json({ items: await listChannels() }));

export const POST = apiRoute(createChannelOperation, async ({ actor, body, requestId }) => {
  const channel = await createChannel(body, { actor, requestId });
  return json(channel, { status: 201, headers: { location: `/api/v1/notification-channels/${channel.id}`, etag: etag(channel.version) } });
});
