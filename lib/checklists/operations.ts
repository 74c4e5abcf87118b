import { z } from 'zod';
import { defineOperation } from '@/lib/platform/http/operation';
import { adHocItemSchema, checklistItemSchema, checklistSchema, itemStateSchema } from '@/lib/checklists/schema';
import { incidentNumberSchema } from '@/lib/incidents/schema';

const numberParams = z.object({ number: incidentNumberSchema });

export const listChecklistsOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/incidents/{number}/checklists',
  summary: "The incident's checklists with their items and progress.",
  tag: 'Checklists',
  permission: 'read',
  params: numberParams,
  responses: { 200: { description: 'Checklists', schema: z.object({ items: z.array(checklistSchema) }) } },
});

export const attachChecklistOperation = defineOperation({
  method: 'POST',
  path: '/api/v1/incidents/{number}/checklists',
  summary: "Attach a runbook: its latest version becomes a checklist on the incident.",
  tag: 'Checklists',
  permission: 'incidents.work',
  params: numberParams,
  body: z.object({ runbookId: z.uuid({ error: 'runbookId is a runbook id' }) }),
  responses: { 201: { description: 'The checklist', schema: checklistSchema } },
});

export const setItemStateOperation = defineOperation({
  method: 'PATCH',
  path: '/api/v1/incidents/{number}/checklists/{checklistId}/items/{itemId}',
  summary: 'Check (done), skip (needs a note) or reopen an item.',
  tag: 'Checklists',
  permission: 'incidents.work',
  params: z.object({ number: incidentNumberSchema, checklistId: z.uuid(), itemId: z.uuid() }),
  body: itemStateSchema,
  responses: { 200: { description: 'The item', schema: checklistItemSchema } },
});

export const addItemOperation = defineOperation({
  method: 'POST',
  path: '/api/v1/incidents/{number}/checklists/{checklistId}/items',
  summary: 'Add a step discovered during the incident (marked as ad hoc).',
  tag: 'Checklists',
  permission: 'incidents.work',
  params: z.object({ number: incidentNumberSchema, checklistId: z.uuid() }),
  body: adHocItemSchema,
  responses: { 201: { description: 'The checklist', schema: checklistSchema } },
});
