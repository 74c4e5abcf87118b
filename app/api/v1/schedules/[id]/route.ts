import { etag, ifMatchVersion } from '@/lib/platform/http/etag';
import { apiRoute, json } from '@/lib/platform/http/route';
import { NotFoundError } from '@/lib/platform/errors';
import { deleteScheduleOperation, getScheduleOperation, updateScheduleOperation } from '@/lib/oncall/operations';
import { getSchedule } from '@/lib/oncall/queries';
import { deleteSchedule, updateSchedule } from '@/lib/oncall/service';

export const GET = apiRoute(getScheduleOperation, async ({ params }) => {
  const schedule = await getSchedule(params.id);
  if (!schedule) throw new NotFoundError('That schedule does not exist.');
  return json(schedule, { headers: { etag: etag(schedule.version) } });
});

export const PUT = apiRoute(updateScheduleOperation, async ({ actor, params, body, request, requestId }) => {
  const ifVersion = ifMatchVersion(request, { required: false, what: 'schedule' });
  const schedule = await updateSchedule(params.id, body, { ifVersion }, { actor, requestId });
  return json(schedule, { headers: { etag: etag(schedule.version) } });
});

export const DELETE = apiRoute(deleteScheduleOperation, async ({ actor, params, requestId }) => {
  await deleteSchedule(params.id, { actor, requestId });
  return new Response(null, { status: 204 });
});
