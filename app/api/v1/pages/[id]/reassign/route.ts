import { apiRoute, json } from '@/lib/platform/http/route';
import { reassignPageOperation } from '@/lib/oncall/operations';
import { reassignPage } from '@/lib/oncall/service';

export const POST = apiRoute(reassignPageOperation, async ({ actor, params, body, requestId }) => json(await reassignPage(params.id, body, { actor, requestId })));
