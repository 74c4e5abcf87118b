'use server';

import { z } from 'zod';
import { defineAction } from '@/lib/platform/auth/action';
import type { AttachmentDto } from '@/lib/attachments/schema';
import { storeAttachment } from '@/lib/attachments/service';

// The note box's way to attach a pasted or dropped file. The API route
// (POST /api/v1/incidents/{n}/attachments) takes only a bearer token for writes, because a
// session cookie on a plain POST is what cross-site request forgery rides on; a server action
// carries Next's own origin check, so the browser uploads through here. Same permission as the
// route, same service (size cap, sniffed type, visibility), so both answer alike.
const attachSchema = z.object({
  number: z.coerce.number({ error: 'Unknown incident' }).int().positive('Unknown incident'),
  file: z.instanceof(File, { error: 'Paste or drop a file to attach' }),
});

export const attachFileAction = defineAction('incidents.work', attachSchema, async (input, { actor, requestId }): Promise<AttachmentDto> => {
  const bytes = new Uint8Array(await input.file.arrayBuffer());
  return storeAttachment(input.number, { bytes, filename: input.file.name || null }, { actor, requestId });
});
