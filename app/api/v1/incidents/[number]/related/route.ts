import { apiRoute, json } from '@/lib/platform/http/route';
import { relatedIncidentsOperation } from '@/lib/insights/operations';
import { listRelatedIncidents } from '@/lib/insights/related';

export const GET = apiRoute(relatedIncidentsOperation, async ({ actor, params }) => json({ items: await listRelatedIncidents(params.number, actor) }));
