import { apiRoute, json } from '@/lib/platform/http/route';
import { scheduleShiftsOperation } from '@/lib/oncall/operations';
import { getShifts } from '@/lib/oncall/queries';

export const GET = apiRoute(scheduleShiftsOperation, async ({ params, query }) => json(await getShifts(params.id, { from: new Date(query.from), to: new Date(query.to) })));
