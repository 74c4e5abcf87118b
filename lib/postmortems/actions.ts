'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { defineAction } from '@/lib/platform/auth/action';
import { listPresence } from '@/lib/postmortems/queries';
import { actionItemInputSchema, actionItemPatchSchema, statusChangeSchema } from '@/lib/postmortems/schema';
import { createActionItem, generatePostmortem, heartbeat, restoreRevision, saveSection, setPostmortemStatus, updateActionItem } from '@/lib/postmortems/service';
import { reviewTemplateInputSchema } from '@/lib/postmortems/schema';
import { createReviewTemplate, deleteReviewTemplate, updateReviewTemplate } from '@/lib/postmortems/templates';

const number = z.coerce.number({ error: 'Unknown incident' }).int().positive('Unknown incident');
const key = z.string().trim().min(1).max(60);
const version = z.coerce.number().int().positive();

export const generatePostmortemAction = defineAction('incidents.work', z.object({ number, regenerate: z.boolean().default(false) }), async ({ number, regenerate }, { actor, requestId }) => {
  const { review } = await generatePostmortem(number, { regenerate }, { actor, requestId });
  revalidatePath(`/incidents/${number}/review`);
  return review;
});

/** Autosave of one section; 412 (with who saved first) when the section changed since `baseVersion`. */
export const saveSectionAction = defineAction('incidents.work', z.object({ number, key, body: z.string().max(100_000), baseVersion: version }), async ({ number, key, body, baseVersion }, { actor, requestId }) =>
  saveSection(number, key, { body }, baseVersion, { actor, requestId }),
);

export const restoreRevisionAction = defineAction('incidents.work', z.object({ number, key, revisionId: z.uuid(), baseVersion: version }), async ({ number, key, revisionId, baseVersion }, { actor, requestId }) =>
  restoreRevision(number, key, revisionId, baseVersion, { actor, requestId }),
);

export const setPostmortemStatusAction = defineAction('incidents.work', statusChangeSchema.extend({ number }), async ({ number, status }, { actor, requestId }) => {
  const review = await setPostmortemStatus(number, { status }, { actor, requestId });
  revalidatePath(`/incidents/${number}/review`);
  return review;
});

/** Presence heartbeat of an editor: records where I am, answers who else is here. */
export const presenceAction = defineAction('incidents.work', z.object({ number, sectionKey: key.nullable() }), async ({ number, sectionKey }, { actor, requestId }) => {
  await heartbeat(number, sectionKey, { actor, requestId });
  return listPresence(number, actor.id);
});

export const createActionItemAction = defineAction('incidents.work', actionItemInputSchema.extend({ number }), async ({ number, ...input }, { actor, requestId }) => {
  const id = await createActionItem(number, input, { actor, requestId });
  revalidatePath(`/incidents/${number}/review`);
  revalidatePath('/');
  return { id };
});

export const updateActionItemAction = defineAction('incidents.work', actionItemPatchSchema.extend({ id: z.uuid() }), async ({ id, ...patch }, { actor, requestId }) => {
  const { incidentNumber } = await updateActionItem(id, patch, { actor, requestId });
  revalidatePath(`/incidents/${incidentNumber}/review`);
  revalidatePath('/');
  return { id };
});

export const saveReviewTemplateAction = defineAction('settings.manage', reviewTemplateInputSchema.extend({ id: z.uuid().optional() }), async ({ id, ...input }, { actor, requestId }) => {
  const template = id ? await updateReviewTemplate(id, input, { actor, requestId }) : await createReviewTemplate(input, { actor, requestId });
  revalidatePath('/settings/reviews');
  return template;
});

export const deleteReviewTemplateAction = defineAction('settings.manage', z.object({ id: z.uuid() }), async ({ id }, { actor, requestId }) => {
  await deleteReviewTemplate(id, { actor, requestId });
  revalidatePath('/settings/reviews');
  return { id };
});
