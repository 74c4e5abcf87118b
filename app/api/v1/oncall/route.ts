import { apiRoute, json } from '@/lib/platform/http/route';
import { onCallNowOperation } from '@/lib/oncall/operations';
import { listOnCall } from '@/lib/oncall/queries';

export const GET = apiRoute(onCallNowOperation, async () => {
  const at = new Date();
  return json({ at: at.toISOString(), items: await listOnCall(at) });
});
