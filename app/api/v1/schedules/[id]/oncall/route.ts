import { apiRoute, json } from '@/lib/platform/http/route';
import { scheduleOnCallOperation } from '@/lib/oncall/operations';
import { getOnCall } from '@/lib/oncall/queries';

export const GET = apiRoute(scheduleOnCallOperation, async ({ params, query }) => json(await getOnCall(params.id, query.at ? new Date(query.at) : new Date())));
