import { testRouteOperation } from '@/lib/alerts/operations';
import { testRoute } from '@/lib/alerts/queries';
import { apiRoute, json } from '@/lib/platform/http/route';

export const POST = apiRoute(testRouteOperation, async ({ params, body }) => json(await testRoute(params.id, body.payload, body.routes)));
