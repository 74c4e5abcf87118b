import { z } from 'zod';
import { defineOperation } from '@/lib/platform/http/operation';
import { incidentNumberSchema } from '@/lib/incidents/schema';
import {
  actionItemInputSchema,
  actionItemPatchSchema,
  actionItemSchema,
  postmortemSchema,
  reviewTemplateInputSchema,
  reviewTemplateSchema,
  revisionSchema,
  sectionSaveSchema,
  statusChangeSchema,
} from '@/lib/postmortems/schema';

const numberParams = z.object({ number: incidentNumberSchema });
const flag = z.enum(['true', 'false'], { error: 'Use true or false' }).transform((v) => v === 'true');

export const generatePostmortemOperation = defineOperation({
  method: 'POST',
  path: '/api/v1/incidents/{number}/postmortem',
  summary:
    'Generate the post-incident review from the incident: 201. 409 when it exists; `?regenerate=true` refreshes the generated sections nobody has edited (200) and never touches edited text.',
  tag: 'Post-mortems',
  permission: 'incidents.work',
  params: numberParams,
  query: z.object({ regenerate: flag.optional() }),
  responses: { 201: { description: 'The new review', schema: postmortemSchema }, 200: { description: 'The regenerated review', schema: postmortemSchema } },
});

export const getPostmortemOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/incidents/{number}/postmortem',
  summary: 'The review with its sections and action items. `ETag: "<version>"`: send it as If-Match when saving a section.',
  tag: 'Post-mortems',
  permission: 'read',
  params: numberParams,
  responses: { 200: { description: 'The review', schema: postmortemSchema } },
});

export const postmortemMarkdownOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/incidents/{number}/postmortem.md',
  summary: 'The whole review as Markdown (text/markdown), for download.',
  tag: 'Post-mortems',
  permission: 'read',
  params: numberParams,
  responses: { 200: { description: 'Markdown', contentType: 'text/markdown' } },
});

export const setPostmortemStatusOperation = defineOperation({
  method: 'PATCH',
  path: '/api/v1/incidents/{number}/postmortem',
  summary: 'Move the review: draft → in_review → published. A published review is read-only until moved back.',
  tag: 'Post-mortems',
  permission: 'incidents.work',
  params: numberParams,
  body: statusChangeSchema,
  responses: { 200: { description: 'The review', schema: postmortemSchema } },
});

export const saveSectionOperation = defineOperation({
  method: 'PATCH',
  path: '/api/v1/incidents/{number}/postmortem/sections/{key}',
  summary:
    'Save one section. Requires `If-Match: "<version>"` (the review version you edited; 428 without). 412 when this section changed after that version: nothing is overwritten; fetch it, merge, save again. Saves to different sections never conflict.',
  tag: 'Post-mortems',
  permission: 'incidents.work',
  params: numberParams.extend({ key: z.string().trim().min(1).max(60) }),
  body: sectionSaveSchema,
  responses: { 200: { description: 'The review at its new version', schema: postmortemSchema } },
});

export const listRevisionsOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/incidents/{number}/postmortem/sections/{key}/revisions',
  summary: 'Every saved text of a section, newest first.',
  tag: 'Post-mortems',
  permission: 'read',
  params: numberParams.extend({ key: z.string().trim().min(1).max(60) }),
  responses: { 200: { description: 'Revisions', schema: z.object({ items: z.array(revisionSchema) }) } },
});

export const createActionItemOperation = defineOperation({
  method: 'POST',
  path: '/api/v1/incidents/{number}/action-items',
  summary: 'Add a follow-up. The due date defaults by severity (SEV1 7 days, SEV2 14, SEV3 30, SEV4 60).',
  tag: 'Post-mortems',
  permission: 'incidents.work',
  params: numberParams,
  body: actionItemInputSchema,
  responses: { 201: { description: 'The action item', schema: actionItemSchema } },
});

export const listIncidentActionItemsOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/incidents/{number}/action-items',
  summary: "The incident's action items.",
  tag: 'Post-mortems',
  permission: 'read',
  params: numberParams,
  responses: { 200: { description: 'Action items', schema: z.object({ items: z.array(actionItemSchema) }) } },
});

export const listActionItemsOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/action-items',
  summary: 'Open action items: `?mine=true` (yours) or `?overdue=true` (past their due date, anyone’s).',
  tag: 'Post-mortems',
  permission: 'read',
  query: z.object({ mine: flag.optional(), overdue: flag.optional() }),
  responses: { 200: { description: 'Action items', schema: z.object({ items: z.array(actionItemSchema) }) } },
});

export const updateActionItemOperation = defineOperation({
  method: 'PATCH',
  path: '/api/v1/action-items/{id}',
  summary: 'Change an action item: status (open/done), title, ownerEmail, dueDate (YYYY-MM-DD), url; null clears.',
  tag: 'Post-mortems',
  permission: 'incidents.work',
  params: z.object({ id: z.uuid({ error: 'action item ids are UUIDs' }) }),
  body: actionItemPatchSchema,
  responses: { 200: { description: 'The action item', schema: actionItemSchema } },
});

const templateId = z.object({ id: z.uuid({ error: 'template ids are UUIDs' }) });

export const listReviewTemplatesOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/review-templates',
  summary: 'Review templates with the sections each makes (without one for its severity, a review uses the default template).',
  tag: 'Post-mortems',
  permission: 'read',
  responses: { 200: { description: 'Templates', schema: z.object({ items: z.array(reviewTemplateSchema) }) } },
});

export const createReviewTemplateOperation = defineOperation({
  method: 'POST',
  path: '/api/v1/review-templates',
  summary: 'Add a review template (admin): Markdown whose “## Heading” lines become sections; headings Sitrep knows (Summary, Impact, Timeline, Action items…) are generated. `severities` picks it for those severities.',
  tag: 'Post-mortems',
  permission: 'settings.manage',
  body: reviewTemplateInputSchema,
  responses: { 201: { description: 'The template', schema: reviewTemplateSchema } },
});

export const updateReviewTemplateOperation = defineOperation({
  method: 'PUT',
  path: '/api/v1/review-templates/{id}',
  summary: 'Replace a review template (admin). Reviews already generated keep their sections.',
  tag: 'Post-mortems',
  permission: 'settings.manage',
  params: templateId,
  body: reviewTemplateInputSchema,
  responses: { 200: { description: 'The template', schema: reviewTemplateSchema } },
});

export const deleteReviewTemplateOperation = defineOperation({
  method: 'DELETE',
  path: '/api/v1/review-templates/{id}',
  summary: 'Delete a review template (admin).',
  tag: 'Post-mortems',
  permission: 'settings.manage',
  params: templateId,
  responses: { 204: { description: 'Deleted' } },
});

export const reviewStreamOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/incidents/{number}/postmortem/stream',
  summary: 'Live review (Server-Sent Events): `event: presence` with who has it open and in which section, `event: review` with the new version when someone saves.',
  tag: 'Post-mortems',
  permission: 'read',
  params: numberParams,
  responses: { 200: { description: 'An event stream', contentType: 'text/event-stream' } },
});
