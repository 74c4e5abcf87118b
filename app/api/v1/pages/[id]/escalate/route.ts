import { apiRoute, json } from '@/lib/platform/http/route';
import { escalatePageOperation } from '@/lib/oncall/operations';
import { escalatePage } from '@/lib/oncall/service';

export const POST = apiRoute(escalatePageOperation, async ({ actor, params, requestId }) => json(await escalatePage(params.id, { actor, requestId })));
