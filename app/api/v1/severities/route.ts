import { apiRoute, json } from '@/lib/platform/http/route';
import { listSeveritiesOperation } from '@/lib/severities/operations';
import { listSeverities } from '@/lib/severities/queries';

export const GET = apiRoute(listSeveritiesOperation, async () => json({ items: await listSeverities() }));
