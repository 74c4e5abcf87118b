import { z } from 'zod';
import { defineOperation } from '@/lib/platform/http/operation';
import { attachmentSchema, MAX_ATTACHMENT_BYTES } from '@/lib/attachments/schema';
import { incidentNumberSchema } from '@/lib/incidents/schema';

const numberParams = z.object({ number: incidentNumberSchema });

export const listAttachmentsOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/incidents/{number}/attachments',
  summary: 'The files attached to an incident’s notes (screenshots), oldest first.',
  tag: 'Attachments',
  permission: 'read',
  params: numberParams,
  responses: { 200: { description: 'Attachments', schema: z.object({ items: z.array(attachmentSchema) }) } },
});

export const uploadAttachmentOperation = defineOperation({
  method: 'POST',
  path: '/api/v1/incidents/{number}/attachments',
  summary: `Attach a file: the request body is the file's bytes (at most ${MAX_ATTACHMENT_BYTES / 1_048_576} MiB, else 413), \`?filename=\` its name. PNG, JPEG, GIF and WebP (told by their bytes) are served as images, anything else as a download. Put its \`markdown\` in a note to show it.`,
  tag: 'Attachments',
  permission: 'incidents.work',
  params: numberParams,
  query: z.object({ filename: z.string().max(300, 'Keep the file name under 300 characters').optional() }),
  // The request edge (scripts/serve.ts) lets the file through; the route answers the cap itself.
  maxBodyBytes: MAX_ATTACHMENT_BYTES + 1,
  responses: { 201: { description: 'The attachment', schema: attachmentSchema } },
});

export const getAttachmentOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/incidents/{number}/attachments/{id}',
  summary: 'The file itself, authorised like its incident: images inline, anything else as a download (Content-Disposition), never sniffed by the browser.',
  tag: 'Attachments',
  permission: 'read',
  params: z.object({ number: incidentNumberSchema, id: z.uuid({ error: 'attachment ids are UUIDs' }) }),
  responses: { 200: { description: 'The bytes', contentType: 'application/octet-stream' } },
});
