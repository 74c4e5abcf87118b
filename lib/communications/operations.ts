import { z } from 'zod';
import { defineOperation } from '@/lib/platform/http/operation';
import { postUpdateSchema, publicStatusSchema, templateInputSchema, templateSchema, updateSchema, brandingSchema } from '@/lib/communications/schema';
import { incidentNumberSchema } from '@/lib/incidents/schema';

const numberParams = z.object({ number: incidentNumberSchema });
const keyParams = z.object({ key: z.string().trim().min(1).max(40) });

export const postUpdateOperation = defineOperation({
  method: 'POST',
  path: '/api/v1/incidents/{number}/updates',
  summary:
    'Post a status update to an audience: `internal` (the team) or `public` (the status page, at once). Give `body`, or `template` (initial, progress, resolved or an admin-defined key) to render it; {{variables}} in a body are filled in too.',
  tag: 'Communications',
  permission: 'incidents.work',
  params: numberParams,
  body: postUpdateSchema,
  responses: { 201: { description: 'The update as posted', schema: updateSchema } },
});

export const listUpdatesOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/incidents/{number}/updates',
  summary: "The incident's status updates, newest first (`?audience=public` for the published ones).",
  tag: 'Communications',
  permission: 'read',
  params: numberParams,
  query: z.object({ audience: z.enum(['internal', 'public'], { error: 'audience is internal or public' }).optional() }),
  responses: { 200: { description: 'Updates', schema: z.object({ items: z.array(updateSchema) }) } },
});

export const publicStatusOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/status',
  summary:
    'The public status page as JSON, without signing in: incidents with at least one public update (open first, then resolved in the last 7 days), each with its public updates only. Cached for 5 seconds.',
  tag: 'Communications',
  permission: null,
  responses: { 200: { description: 'Status', schema: publicStatusSchema } },
});

export const listTemplatesOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/update-templates',
  summary: 'Status-update templates (initial, progress, resolved, internal and admin-defined ones).',
  tag: 'Communications',
  permission: 'read',
  responses: { 200: { description: 'Templates', schema: z.object({ items: z.array(templateSchema) }) } },
});

export const createTemplateOperation = defineOperation({
  method: 'POST',
  path: '/api/v1/update-templates',
  summary: 'Add a template (admin). {{variables}} are checked: an unknown one is a 422 with its line and column.',
  tag: 'Communications',
  permission: 'settings.manage',
  body: templateInputSchema,
  responses: { 201: { description: 'The template', schema: templateSchema } },
});

export const updateTemplateOperation = defineOperation({
  method: 'PUT',
  path: '/api/v1/update-templates/{key}',
  summary: 'Reword a template (admin). Optional `If-Match: "<version>"`: 412 when someone saved it since.',
  tag: 'Communications',
  permission: 'settings.manage',
  params: keyParams,
  body: templateInputSchema.omit({ key: true }),
  responses: { 200: { description: 'The template', schema: templateSchema } },
});

export const deleteTemplateOperation = defineOperation({
  method: 'DELETE',
  path: '/api/v1/update-templates/{key}',
  summary: 'Delete an admin-defined template (built-in ones can be reworded, not deleted: 409).',
  tag: 'Communications',
  permission: 'settings.manage',
  params: keyParams,
  responses: { 204: { description: 'Deleted' } },
});

export const getBrandingOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/status-page',
  summary: "The status page's branding: title, logo URL and accent colour.",
  tag: 'Communications',
  permission: 'read',
  responses: { 200: { description: 'Branding', schema: brandingSchema } },
});

export const saveBrandingOperation = defineOperation({
  method: 'PUT',
  path: '/api/v1/status-page',
  summary: "Change the status page's branding (admin).",
  tag: 'Communications',
  permission: 'settings.manage',
  body: brandingSchema,
  responses: { 200: { description: 'Branding', schema: brandingSchema } },
});
