import { apiRoute, json } from '@/lib/platform/http/route';
import { listSeveritiesOperation } from '@/lib/incidents/operations';
import { listSeverities } from '@/lib/incidents/queries';

export const GET = apiRoute(listSeveritiesOperation, async () => json({ items: await listSeverities() }));
