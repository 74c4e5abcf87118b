import { databaseIsUp, HEALTH_CACHE_MS } from '@/lib/platform/health';
import { publicResponse } from '@/lib/platform/http/public-cache';
import { apiRoute } from '@/lib/platform/http/route';
import { healthOperation } from '@/lib/platform/http/system-operations';

export const dynamic = 'force-dynamic';

// Remembered for a second: the request edge answers health checks from memory in between.
export const GET = apiRoute(healthOperation, async () => {
  const up = await databaseIsUp();
  const body = JSON.stringify(up ? { status: 'ok', db: 'ok' } : { status: 'degraded', db: 'down' });
  return publicResponse('/api/health', body, { 'content-type': 'application/json', 'cache-control': 'no-store' }, { status: up ? 200 : 503, maxAgeMs: HEALTH_CACHE_MS });
});
