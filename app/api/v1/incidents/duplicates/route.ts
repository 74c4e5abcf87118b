import { apiRoute, json } from '@/lib/platform/http/route';
import { duplicatesOperation } from '@/lib/incidents/operations';
import { findPossibleDuplicates } from '@/lib/incidents/queries';

export const GET = apiRoute(duplicatesOperation, async ({ actor, query }) => json({ items: await findPossibleDuplicates({ title: query.title, services: query.services }, actor) }));
