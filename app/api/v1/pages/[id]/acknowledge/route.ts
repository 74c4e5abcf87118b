import { apiRoute, json } from '@/lib/platform/http/route';
import { acknowledgePageOperation } from '@/lib/oncall/operations';
import { acknowledgePage } from '@/lib/oncall/service';

export const POST = apiRoute(acknowledgePageOperation, async ({ actor, params, requestId }) => json(await acknowledgePage(params.id, { actor, requestId })));
