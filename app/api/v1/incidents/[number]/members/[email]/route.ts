import { apiRoute, json } from '@/lib/platform/http/route';
import { removeMemberOperation } from '@/lib/incidents/operations';
import { removeMember } from '@/lib/incidents/service';

export const DELETE = apiRoute(removeMemberOperation, async ({ actor, params, requestId }) => json({ items: await removeMember(params.number, params.email, { actor, requestId }) }));
