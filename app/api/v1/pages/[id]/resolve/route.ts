import { apiRoute, json } from '@/lib/platform/http/route';
import { resolvePageOperation } from '@/lib/oncall/operations';
import { resolvePage } from '@/lib/oncall/service';

export const POST = apiRoute(resolvePageOperation, async ({ actor, params, requestId }) => json(await resolvePage(params.id, { actor, requestId })));
