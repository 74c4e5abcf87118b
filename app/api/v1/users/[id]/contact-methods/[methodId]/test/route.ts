import { apiRoute, json } from '@/lib/platform/http/route';
import { testContactMethodOperation } from '@/lib/oncall/operations';
import { sendContactTest } from '@/lib/oncall/service';

export const POST = apiRoute(testContactMethodOperation, async ({ actor, params, requestId }) => json(await sendContactTest(params.id, params.methodId, { actor, requestId }), { status: 202 }));
