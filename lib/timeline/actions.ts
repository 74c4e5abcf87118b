'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { defineAction } from '@/lib/platform/auth/action';
import { eventPatchSchema, noteInputSchema, type TimelineEventDto } from '@/lib/timeline/schema';
import { editTimelineEvent, postNote } from '@/lib/timeline/service';

const number = z.coerce.number({ error: 'Unknown incident' }).int().positive('Unknown incident');

export const postNoteAction = defineAction('incidents.work', noteInputSchema.extend({ number }), async ({ number, ...note }, { actor, requestId }): Promise<TimelineEventDto> => {
  const event = await postNote(number, note, { actor, requestId });
  revalidatePath('/');
  return event;
});

export const editEventAction = defineAction(
  'incidents.work',
  z.object({ number, eventId: z.uuid({ error: 'Unknown event' }), patch: eventPatchSchema }),
  async ({ number, eventId, patch }, { actor, requestId }): Promise<TimelineEventDto> => editTimelineEvent(number, eventId, patch, { actor, requestId }),
);
