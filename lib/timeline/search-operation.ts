import { z } from 'zod';
import { defineOperation } from '@/lib/platform/http/operation';
import { incidentNumberSchema } from '@/lib/incidents/schema';
import { timelineEventSchema, timelineKinds } from '@/lib/timeline/schema';

export const timelineSearchQuerySchema = z.object({
  before: z.coerce.number({ error: 'before is a seq number' }).int().positive().max(2_147_483_647, 'before is at most 2147483647').optional(),
  limit: z.coerce.number({ error: 'limit is a number' }).int().min(1, 'limit is at least 1').max(500, 'limit is at most 500').default(100),
  kind: z
    .string()
    .optional()
    .transform((value, context) => {
      if (!value) return undefined;
      const kinds = value.split(',').map((k) => k.trim()).filter(Boolean);
      const unknown = kinds.filter((k) => !(timelineKinds as readonly string[]).includes(k));
      if (unknown.length) {
        context.addIssue({ code: 'custom', message: `${unknown.join(', ')} is not a kind; use ${timelineKinds.join(', ')}` });
        return z.NEVER;
      }
      return kinds as (typeof timelineKinds)[number][];
    }),
  pinned: z.enum(['true', 'false'], { error: 'pinned is true or false' }).optional().transform((value) => value === 'true'),
  q: z.string().trim().max(200, 'Keep the search under 200 characters').optional(),
});

export const timelineSearchOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/incidents/{number}/timeline/search',
  summary: 'The timeline newest first, filtered by kind, key events and text (Postgres full-text search); page with `before`',
  tag: 'Timeline',
  permission: 'read',
  params: z.object({ number: incidentNumberSchema }),
  query: timelineSearchQuerySchema,
  responses: {
    200: { description: 'A page of events, newest first', schema: z.object({ items: z.array(timelineEventSchema), nextBefore: z.number().int().nullable() }) },
  },
});
