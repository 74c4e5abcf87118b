import { apiRoute } from '@/lib/platform/http/route';
import { NotFoundError } from '@/lib/platform/errors';
import { getAttachmentOperation } from '@/lib/attachments/operations';
import { readAttachment } from '@/lib/attachments/queries';
import { resolveIncident } from '@/lib/incidents/queries';

export const GET = apiRoute(getAttachmentOperation, async ({ actor, params }) => {
  const incident = await resolveIncident(params.number, actor);
  const file = await readAttachment(incident.id, params.id);
  if (!file) throw new NotFoundError(`INC-${params.number} has no attachment ${params.id}.`);
  const inline = file.contentType.startsWith('image/');
  const name = encodeURIComponent(file.filename);
  return new Response(Buffer.from(file.data), {
    headers: {
      'content-type': file.contentType,
      'content-length': String(file.data.byteLength),
      // Images open in the page; anything else is saved, never rendered (an uploaded .html stays a file).
      'content-disposition': `${inline ? 'inline' : 'attachment'}; filename="${file.filename.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${name}`,
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
      // Private to the signed-in reader; the same bytes forever (ids are never reused).
      'cache-control': 'private, max-age=31536000, immutable',
      etag: `"${file.sha256}"`,
    },
  });
});
