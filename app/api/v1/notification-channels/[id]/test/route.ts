import { apiRoute, json } from '@/lib/platform/http/route';
import { testChannelOperation } from '@/lib/notifications/operations';
import { sendTestNotification } from '@/lib/notifications/service';

export const POST = apiRoute(testChannelOperation, async ({ actor, params, requestId }) => json(await sendTestNotification(params.id, { actor, requestId }), { status: 202 }));
