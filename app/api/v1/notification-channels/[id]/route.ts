import { etag, ifMatchVersion } from '@/lib/platform/http/etag';
import { apiRoute, json } from '@/lib/platform/http/route';
import { NotFoundError } from '@/lib/platform/errors';
import { getChannelOperation, updateChannelOperation } from '@/lib/notifications/operations';
import { getChannel } from '@/lib/notifications/queries';
import { updateChannel } from '@/lib/notifications/service';

export const GET = apiRoute(getChannelOperation, async ({ params }) => {
  const channel = await getChannel(params.id);
  if (!channel) throw new NotFoundError(`There is no notification channel ${params.id}.`);
  return json(channel, { headers: { etag: etag(channel.version) } });
});

export const PUT = apiRoute(updateChannelOperation, async ({ actor, params, body, request, requestId }) => {
  const ifVersion = ifMatchVersion(request, { required: false, what: 'notification channel' });
  const channel = await updateChannel(params.id, body, { ifVersion }, { actor, requestId });
  return json(channel, { headers: { etag: etag(channel.version) } });
});
