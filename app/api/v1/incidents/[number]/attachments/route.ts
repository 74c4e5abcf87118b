import { apiRoute, json } from '@/lib/platform/http/route';
import { readBytes } from '@/lib/platform/http/body';
import { formatBytes } from '@/lib/platform/errors';
import { listAttachmentsOperation, uploadAttachmentOperation } from '@/lib/attachments/operations';
import { listAttachments } from '@/lib/attachments/queries';
import { MAX_ATTACHMENT_BYTES } from '@/lib/attachments/schema';
import { storeAttachment } from '@/lib/attachments/service';
import { resolveIncident } from '@/lib/incidents/queries';

export const GET = apiRoute(listAttachmentsOperation, async ({ actor, params }) => json({ items: await listAttachments(await resolveIncident(params.number, actor)) }));

export const POST = apiRoute(uploadAttachmentOperation, async ({ actor, params, query, request, requestId }) => {
  const bytes = await readBytes(request, MAX_ATTACHMENT_BYTES, `Attachments are at most ${formatBytes(MAX_ATTACHMENT_BYTES)}; crop the screenshot, or link to the file.`);
  return json(await storeAttachment(params.number, { bytes, filename: query.filename }, { actor, requestId }), { status: 201 });
});
