import { apiRoute, json } from '@/lib/platform/http/route';
import { readBytes } from '@/lib/platform/http/bytes-body';
import { listAttachmentsOperation, uploadAttachmentOperation } from '@/lib/attachments/operations';
import { listAttachments } from '@/lib/attachments/queries';
import { MAX_ATTACHMENT_BYTES } from '@/lib/attachments/schema';
import { storeAttachment } from '@/lib/attachments/service';
import { resolveIncident } from '@/lib/incidents/queries';

export const GET = apiRoute(listAttachmentsOperation, async ({ actor, params }) => json({ items: await listAttachments(await resolveIncident(params.number, actor)) }));

export const POST = apiRoute(uploadAttachmentOperation, async ({ actor, params, query, request, requestId }) => {
  const bytes = await readBytes(request, MAX_ATTACHMENT_BYTES);
  return json(await storeAttachment(params.number, { bytes, filename: query.filename }, { actor, requestId }), { status: 201 });
});
