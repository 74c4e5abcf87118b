import { etag } from '@/lib/platform/http/etag';
import { apiRoute, json } from '@/lib/platform/http/route';
import { createScheduleOperation, listSchedulesOperation } from '@/lib/oncall/operations';
import { listSchedules } from '@/lib/oncall/queries';
import { createSchedule } from '@/lib/oncall/service';

export const GET = apiRoute(listSchedulesOperation, async () => json({ items: await listSchedules() }));

export const POST = apiRoute(createScheduleOperation, async ({ actor, body, requestId }) => {
  const schedule = await createSchedule(body, { actor, requestId });
  return json(schedule, { status: 201, headers: { location: `/api/v1/schedules/${schedule.id}`, etag: etag(schedule.version) } });
});
