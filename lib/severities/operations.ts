import { z } from 'zod';
import { defineOperation } from '@/lib/platform/http/operation';

export const listSeveritiesOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/severities',
  summary: 'The severities with their response-time targets and update cadences.',
  tag: 'Incidents',
  permission: 'read',
  responses: {
    200: {
      description: 'Severities, most severe first',
      schema: z.object({
        items: z.array(
          z.object({ key: z.string(), level: z.number().int(), name: z.string(), description: z.string(), responseTargetMinutes: z.number().int(), updateCadenceMinutes: z.number().int(), reviewRequired: z.boolean() }),
        ),
      }),
    },
  },
});
