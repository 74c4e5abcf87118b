import { apiRoute, json } from '@/lib/platform/http/route';
import { updateUserOperation } from '@/lib/users/operations';
import { toUserDto, updateUser } from '@/lib/users/service';

export const PATCH = apiRoute(updateUserOperation, async ({ actor, params, body, requestId }) =>
  json(toUserDto(await updateUser({ userId: params.id, ...body }, { actor, requestId }))),
);
