import { apiRoute, json } from '@/lib/platform/http/route';
import { addMemberOperation, listMembersOperation } from '@/lib/incidents/operations';
import { listMembers } from '@/lib/incidents/queries';
import { addMember } from '@/lib/incidents/service';

export const GET = apiRoute(listMembersOperation, async ({ actor, params }) => json({ items: await listMembers(params.number, actor) }));

export const POST = apiRoute(addMemberOperation, async ({ actor, params, body, requestId }) => json({ items: await addMember(params.number, body.email, { actor, requestId }) }));
