import { apiRoute, json } from '@/lib/platform/http/route';
import { createUserOperation, listUsersOperation } from '@/lib/users/operations';
import { listUsers } from '@/lib/users/queries';
import { createUser, toUserDto } from '@/lib/users/service';

export const GET = apiRoute(listUsersOperation, async () => json({ items: await listUsers() }));

export const POST = apiRoute(createUserOperation, async ({ actor, body, requestId }) =>
  json(toUserDto(await createUser(body, { actor, requestId })), { status: 201 }),
);
