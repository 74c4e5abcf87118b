'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { defineAction } from '@/lib/platform/auth/action';
import { adHocItemSchema, itemStateSchema, type ChecklistDto } from '@/lib/checklists/schema';
import { addChecklistItem, attachRunbook, setItemState } from '@/lib/checklists/service';

const number = z.coerce.number({ error: 'Unknown incident' }).int().positive('Unknown incident');

export const attachRunbookAction = defineAction(
  'incidents.work',
  z.object({ number, runbookId: z.uuid({ error: 'Choose a runbook' }) }),
  async ({ number, runbookId }, { actor, requestId }): Promise<ChecklistDto> => {
    const checklist = await attachRunbook(number, runbookId, { actor, requestId });
    revalidatePath(`/incidents/${number}`);
    return checklist;
  },
);

export const setItemStateAction = defineAction(
  'incidents.work',
  z.object({ number, checklistId: z.uuid(), itemId: z.uuid() }).and(itemStateSchema),
  async ({ number, checklistId, itemId, state, note }, { actor, requestId }): Promise<ChecklistDto> => {
    const checklist = await setItemState(number, checklistId, itemId, { state, note }, { actor, requestId });
    revalidatePath(`/incidents/${number}`);
    return checklist;
  },
);

export const addChecklistItemAction = defineAction(
  'incidents.work',
  adHocItemSchema.extend({ number, checklistId: z.uuid() }),
  async ({ number, checklistId, ...item }, { actor, requestId }): Promise<ChecklistDto> => {
    const checklist = await addChecklistItem(number, checklistId, item, { actor, requestId });
    revalidatePath(`/incidents/${number}`);
    return checklist;
  },
);
