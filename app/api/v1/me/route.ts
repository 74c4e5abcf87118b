import { apiRoute, json } from '@/lib/platform/http/route';
import { getMe } from '@/lib/users/operations';

export const GET = apiRoute(getMe, async ({ actor }) => json(actor));
