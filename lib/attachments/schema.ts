import { z } from 'zod';

export { MAX_ATTACHMENT_BYTES } from '@/lib/attachments/limits';

/**
 * Types a browser may show inline, decided from the bytes (never from what the uploader said).
 * No SVG: it can carry script. Everything else is served as a download.
 */
export const INLINE_IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;

export const attachmentSchema = z
  .object({
    id: z.uuid(),
    incident: z.object({ number: z.number().int(), key: z.string() }),
    filename: z.string(),
    contentType: z.string().describe('What the bytes are (sniffed); application/octet-stream for anything not shown inline'),
    size: z.number().int().describe('Bytes'),
    image: z.boolean().describe('Shown inline as an image (PNG, JPEG, GIF or WebP)'),
    url: z.string().describe('Where it is served, for the incident’s readers'),
    markdown: z.string().describe('What to put in a note to show it'),
    uploadedBy: z.object({ email: z.string(), name: z.string() }).nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Attachment' });
export type AttachmentDto = z.infer<typeof attachmentSchema>;

/** A file name fit for a Content-Disposition header and a page: no path, no control characters, at most 120 characters. */
export function cleanFilename(raw: string | null | undefined, fallback: string): string {
  const base = (raw ?? '').split(/[\\/]/).at(-1) ?? '';
  const cleaned = base.replace(/[\u0000-\u001f\u007f"]/g, '').replace(/\s+/g, ' ').trim().slice(-120);
  return cleaned && cleaned !== '.' && cleaned !== '..' ? cleaned : fallback;
}
