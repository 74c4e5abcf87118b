import { buildOpenApiDocument } from '@/lib/api/openapi';
import { apiRoute, json } from '@/lib/api/route';
import { openapiOperation } from '@/lib/system/operations';

export const GET = apiRoute(openapiOperation, async ({ request }) =>
  json(buildOpenApiDocument(new URL(request.url).origin), { headers: { 'cache-control': 'public, max-age=60' } }),
);
