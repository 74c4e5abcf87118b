import { z } from 'zod';
import { STORABLE_TIME_MESSAGE, storableTime } from '@/lib/platform/validation';
import { safeHtmlSchema } from '@/lib/platform/markdown/safe-html';
import { timelineKinds } from '@/lib/timeline/kinds';

export { timelineKinds } from '@/lib/timeline/kinds';
export type { TimelineKind } from '@/lib/timeline/kinds';

export const personSchema = z.object({ email: z.string(), name: z.string() }).meta({ id: 'Person' });
export type Person = z.infer<typeof personSchema>;

export const timelineEventSchema = z
  .object({
    id: z.uuid(),
    seq: z.number().int().describe('Unique and increasing per incident'),
    kind: z.enum(timelineKinds),
    occurredAt: z.iso.datetime().describe('When it happened (may be back-dated)'),
    recordedAt: z.iso.datetime().describe('When Sitrep recorded it'),
    actor: personSchema.nullable(),
    body: z.string().describe('Markdown'),
    bodyHtml: safeHtmlSchema.describe('The body rendered to sanitised HTML (raw HTML in the Markdown shows as text; images from other hosts are links)'),
    data: z.record(z.string(), z.unknown()),
    pinned: z.boolean().describe('A key event'),
    editedAt: z.iso.datetime().nullable(),
    /** Who last changed the text or time: the author, the Incident Commander or an admin. */
    editedBy: personSchema.nullable(),
  })
  .meta({ id: 'TimelineEvent' });
export type TimelineEventDto = z.infer<typeof timelineEventSchema>;

const isoTime = z.iso.datetime({ offset: true, error: 'Use an ISO-8601 time, e.g. 2026-11-22T14:02:00Z' }).refine(storableTime, STORABLE_TIME_MESSAGE);

export const noteInputSchema = z.object({
  body: z.string({ error: 'Write the note' }).trim().min(1, 'Write the note').max(20_000, 'Keep a note under 20,000 characters'),
  occurredAt: isoTime.optional().describe('Back-date the note: when it happened'),
  pinned: z.boolean({ error: 'pinned must be true or false' }).optional(),
});
export type NoteInput = z.input<typeof noteInputSchema>;

export const eventPatchSchema = z
  .object({
    body: noteInputSchema.shape.body.optional(),
    pinned: z.boolean({ error: 'pinned must be true or false' }).optional(),
    occurredAt: isoTime.optional(),
  })
  .refine((value) => value.body !== undefined || value.pinned !== undefined || value.occurredAt !== undefined, 'Send body, pinned or occurredAt');
export type EventPatch = z.input<typeof eventPatchSchema>;

export const eventRevisionSchema = z
  .object({
    body: z.string(),
    occurredAt: z.iso.datetime(),
    pinned: z.boolean(),
    editedAt: z.iso.datetime(),
    editedBy: personSchema.nullable(),
  })
  .meta({ id: 'TimelineEventRevision' });
export type EventRevisionDto = z.infer<typeof eventRevisionSchema>;
