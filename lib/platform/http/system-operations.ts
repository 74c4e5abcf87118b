import { z } from 'zod';
import { defineOperation } from '@/lib/platform/http/operation';

export const healthSchema = z
  .object({ status: z.enum(['ok', 'degraded']), db: z.enum(['ok', 'down']) })
  .meta({ id: 'Health' });

export const healthOperation = defineOperation({
  method: 'GET',
  path: '/api/health',
  summary: 'Liveness and database reachability',
  tag: 'System',
  permission: null,
  responses: {
    200: { description: 'Healthy', schema: healthSchema },
    503: { description: 'The database is unreachable', schema: healthSchema },
  },
});

export const openapiOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/openapi.json',
  summary: 'This document (OpenAPI 3.1)',
  tag: 'System',
  permission: null,
  responses: { 200: { description: 'The OpenAPI document' } },
});
