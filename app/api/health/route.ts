import { apiRoute, json } from '@/lib/platform/http/route';
import { databaseIsUp } from '@/lib/platform/health';
import { healthOperation } from '@/lib/platform/http/system-operations';

export const dynamic = 'force-dynamic';

export const GET = apiRoute(healthOperation, async () => {
  const up = await databaseIsUp();
  return json(up ? { status: 'ok', db: 'ok' } : { status: 'degraded', db: 'down' }, { status: up ? 200 : 503 });
});
