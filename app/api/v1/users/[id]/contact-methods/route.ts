import { apiRoute, json } from '@/lib/platform/http/route';
import { addContactMethodOperation, listContactMethodsOperation } from '@/lib/oncall/operations';
import { listContactMethods } from '@/lib/oncall/queries';
import { addContactMethod, findPerson } from '@/lib/oncall/service';
import { can } from '@/lib/platform/auth/policy';
import { ForbiddenError } from '@/lib/platform/errors';

export const GET = apiRoute(listContactMethodsOperation, async ({ actor, params }) => {
  const user = await findPerson(params.id, actor);
  if (user.id !== actor.id && !can(actor, 'users.manage')) throw new ForbiddenError(`Only ${user.name} and admins can see their contact methods.`);
  return json({ items: await listContactMethods(user.id) });
});

export const POST = apiRoute(addContactMethodOperation, async ({ actor, params, body, requestId }) => {
  const method = await addContactMethod(params.id, body, { actor, requestId });
  return json(method, { status: 201 });
});
