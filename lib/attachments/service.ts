// Files pasted or dropped into notes (screenshots, mostly), kept in PostgreSQL with the incident
// they belong to, so a backup of the database is a backup of the incident. What a file is gets
// decided from its bytes (file-type), never from the name or the type the browser claimed: only
// PNG, JPEG, GIF and WebP are ever served as images, everything else as a download.
import 'server-only';
import { createHash } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import type { ChangedBy } from '@/lib/platform/auth/policy';
import { db, type Tx } from '@/lib/platform/db';
import { ConflictError, ValidationError } from '@/lib/platform/errors';
import { requireVisibleIncident, viewerOf } from '@/lib/incidents/visibility';
import { toAttachmentDto } from '@/lib/attachments/queries';
import { cleanFilename, INLINE_IMAGE_TYPES, MAX_ATTACHMENT_BYTES, type AttachmentDto } from '@/lib/attachments/schema';
import { incidentKey } from '@/lib/incidents/schema';

const extensions: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'image/webp': 'webp' };

/** What the bytes are, as served: an inline image type, or application/octet-stream. */
export async function sniffContentType(bytes: Uint8Array): Promise<string> {
  const detected = await fileTypeFromBuffer(bytes);
  return detected && (INLINE_IMAGE_TYPES as readonly string[]).includes(detected.mime) ? detected.mime : 'application/octet-stream';
}

export async function storeAttachment(number: number, file: { bytes: Uint8Array; filename?: string | null }, by: ChangedBy): Promise<AttachmentDto> {
  if (file.bytes.byteLength === 0) throw new ValidationError([{ path: 'file', message: 'The file is empty; paste or drop it again' }]);
  if (file.bytes.byteLength > MAX_ATTACHMENT_BYTES) {
    throw new ValidationError([{ path: 'file', message: `The file is ${(file.bytes.byteLength / 1_048_576).toFixed(1)} MiB; attachments are at most ${MAX_ATTACHMENT_BYTES / 1_048_576} MiB (crop the screenshot, or link to the file)` }]);
  }
  const contentType = await sniffContentType(file.bytes);
  const fallback = `attachment-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}.${extensions[contentType] ?? 'bin'}`;
  const filename = cleanFilename(file.filename, fallback);
  return db.$transaction(async (tx) => {
    // Authorised like the incident: a private one the uploader may not see is a 404, as a missing one.
    const incident = await requireVisibleIncident(tx, number, viewerOf(by), { id: true, mergedIntoId: true });
    if (incident.mergedIntoId) throw new ConflictError(`${incidentKey(number)} was merged into another incident; attach the file there.`);
    const row = await tx.attachment.create({
      data: {
        incidentId: incident.id,
        uploadedById: by.actor?.id ?? null,
        filename,
        contentType,
        size: file.bytes.byteLength,
        sha256: createHash('sha256').update(file.bytes).digest('hex'),
        data: new Uint8Array(file.bytes),
      },
      select: { id: true, filename: true, contentType: true, size: true, createdAt: true, uploadedBy: { select: { email: true, name: true } } },
    });
    return toAttachmentDto(row, number);
  });
}

/** A merged duplicate's attachments go with its notes to the incident it was merged into (in the merge's transaction). */
export async function moveAttachments(tx: Tx, fromIncidentId: string, toIncidentId: string): Promise<number> {
  return (await tx.attachment.updateMany({ where: { incidentId: fromIncidentId }, data: { incidentId: toIncidentId } })).count;
}
