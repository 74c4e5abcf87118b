import { operations } from '@/lib/catalogue';
import { buildOpenApiDocument } from '@/lib/platform/http/openapi';
import { apiRoute, json } from '@/lib/platform/http/route';
import { openapiOperation } from '@/lib/platform/http/system-operations';

export const GET = apiRoute(openapiOperation, async ({ request }) =>
  json(buildOpenApiDocument(operations, new URL(request.url).origin), { headers: { 'cache-control': 'public, max-age=60' } }),
);
