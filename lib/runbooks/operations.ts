import { z } from 'zod';
import { defineOperation } from '@/lib/platform/http/operation';
import { runbookImportResultSchema, runbookImportSchema } from '@/lib/runbooks/import-schema';
import { runbookInputSchema, runbookSchema, runbookSummarySchema } from '@/lib/runbooks/schema';

const idParams = z.object({ id: z.uuid({ error: 'runbook ids are UUIDs' }) });

export const listRunbooksOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/runbooks',
  summary: 'The runbook library (latest versions), searchable by title, tag or service with `q`.',
  tag: 'Runbooks',
  permission: 'read',
  query: z.object({
    q: z.string().trim().max(200).optional(),
    tag: z.string().trim().optional(),
    service: z.string().trim().optional(),
    limit: z.coerce.number({ error: 'limit is a number' }).int('limit is a whole number').min(1, 'limit is at least 1').max(500, 'limit is at most 500').optional(),
  }),
  responses: { 200: { description: 'Runbooks', schema: z.object({ items: z.array(runbookSummarySchema) }) } },
});

export const getRunbookOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/runbooks/{id}',
  summary: 'A runbook at its latest version (or `?version=`).',
  tag: 'Runbooks',
  permission: 'read',
  params: idParams,
  query: z.object({ version: z.coerce.number({ error: 'version is a number' }).int().positive().max(2_147_483_647, 'version is at most 2147483647').optional() }),
  responses: { 200: { description: 'The runbook', schema: runbookSchema } },
});

export const createRunbookOperation = defineOperation({
  method: 'POST',
  path: '/api/v1/runbooks',
  summary: 'Create a runbook (version 1).',
  tag: 'Runbooks',
  permission: 'incidents.work',
  body: runbookInputSchema,
  responses: { 201: { description: 'The runbook', schema: runbookSchema } },
});

export const updateRunbookOperation = defineOperation({
  method: 'PUT',
  path: '/api/v1/runbooks/{id}',
  summary: 'Save a new version. Optional `If-Match: "<version>"` (the version you edited): 412 when someone saved a newer one.',
  tag: 'Runbooks',
  permission: 'incidents.work',
  params: idParams,
  body: runbookInputSchema,
  responses: { 200: { description: 'The runbook at its new version', schema: runbookSchema } },
});

export const importRunbooksOperation = defineOperation({
  method: 'POST',
  path: '/api/v1/runbooks/import',
  summary:
    'Import Markdown playbooks: headings become runbooks and phases; list items, numbered `# 1. …` comments in code and paragraphs followed by code become steps. `dryRun: true` answers 200 without saving; `redact: true` replaces found secrets with [REDACTED]. Warnings of kind `secret` name the line of each credential found.',
  tag: 'Runbooks',
  permission: 'incidents.work',
  body: runbookImportSchema,
  // Up to 1 MB of Markdown, which JSON escaping can make several times larger.
  maxBodyBytes: 4 * 1024 * 1024,
  responses: {
    200: { description: 'Dry run: what would be created (ids are null)', schema: runbookImportResultSchema },
    201: { description: 'The runbooks created', schema: runbookImportResultSchema },
  },
});
