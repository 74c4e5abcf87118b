import { etag } from '@/lib/platform/http/etag';
import { apiRoute, json } from '@/lib/platform/http/route';
import { setChannelEnabledOperation } from '@/lib/notifications/operations';
import { setChannelEnabled } from '@/lib/notifications/service';

export const POST = apiRoute(setChannelEnabledOperation, async ({ actor, params, body, requestId }) => {
  const channel = await setChannelEnabled(params.id, body.enabled, { actor, requestId });
  return json(channel, { headers: { etag: etag(channel.version) } });
});
