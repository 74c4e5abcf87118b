import { apiRoute, json } from '@/lib/platform/http/route';
import { addOverrideOperation, listOverridesOperation } from '@/lib/oncall/operations';
import { listOverrides } from '@/lib/oncall/queries';
import { addOverride } from '@/lib/oncall/service';

export const GET = apiRoute(listOverridesOperation, async ({ params }) => json({ items: await listOverrides(params.id) }));

export const POST = apiRoute(addOverrideOperation, async ({ actor, params, body, requestId }) => json(await addOverride(params.id, body, { actor, requestId }), { status: 201 }));
