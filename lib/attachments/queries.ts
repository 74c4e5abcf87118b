import 'server-only';
import { db } from '@/lib/platform/db';
import type { AttachmentDto } from '@/lib/attachments/schema';
import { incidentKey } from '@/lib/incidents/schema';

type Row = { id: string; filename: string; contentType: string; size: number; createdAt: Date; uploadedBy: { email: string; name: string } | null };

/** Markdown link text can't hold brackets or line breaks. */
function linkText(filename: string): string {
  return filename.replace(/[[\]\\\r\n]/g, ' ').trim() || 'attachment';
}

export function toAttachmentDto(row: Row, number: number): AttachmentDto {
  const url = `/api/v1/incidents/${number}/attachments/${row.id}`;
  const image = row.contentType.startsWith('image/');
  return {
    id: row.id,
    incident: { number, key: incidentKey(number) },
    filename: row.filename,
    contentType: row.contentType,
    size: row.size,
    image,
    url,
    // An image shows as a thumbnail that opens the full size; any other file is a download link.
    markdown: image ? `[![${linkText(row.filename)}](${url})](${url})` : `[${linkText(row.filename)}](${url})`,
    uploadedBy: row.uploadedBy,
    createdAt: row.createdAt.toISOString(),
  };
}

const select = { id: true, filename: true, contentType: true, size: true, createdAt: true, uploadedBy: { select: { email: true, name: true } } } as const;

/** An incident's attachments, oldest first. */
export async function listAttachments(incident: { id: string; number: number }): Promise<AttachmentDto[]> {
  const rows = await db.attachment.findMany({ where: { incidentId: incident.id }, select, orderBy: { createdAt: 'asc' }, take: 500 });
  return rows.map((row) => toAttachmentDto(row, incident.number));
}

/** One attachment of the incident with its bytes; null when it is not this incident's. */
export async function readAttachment(incidentId: string, id: string): Promise<{ filename: string; contentType: string; data: Uint8Array; sha256: string } | null> {
  return db.attachment.findFirst({ where: { id, incidentId }, select: { filename: true, contentType: true, data: true, sha256: true } });
}
