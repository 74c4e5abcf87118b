'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { defineAction } from '@/lib/platform/auth/action';
import { brandingSchema, postUpdateSchema, templateInputSchema } from '@/lib/communications/schema';
import { createTemplate, deleteTemplate, draftUpdate, postStatusUpdate, saveBranding, updateTemplate } from '@/lib/communications/service';

const number = z.coerce.number({ error: 'Unknown incident' }).int().positive('Unknown incident');

/** Posts a status update from the command view's Communications card. */
export const postUpdateAction = defineAction('incidents.work', z.object({ number, update: postUpdateSchema }), async ({ number, update }, { actor, requestId }) => {
  const posted = await postStatusUpdate(number, update, { actor, requestId });
  revalidatePath(`/incidents/${number}`);
  revalidatePath('/status');
  return posted;
});

/** A template filled in for the incident, for the compose box to start from. */
export const draftUpdateAction = defineAction(
  'incidents.work',
  z.object({ number, template: z.string().trim().min(1), resolving: z.boolean().optional() }),
  async ({ number, template, resolving }, { actor }) => draftUpdate(number, template, actor, { resolving }),
);

export const createTemplateAction = defineAction('settings.manage', templateInputSchema, async (input, { actor, requestId }) => {
  const template = await createTemplate(input, { actor, requestId });
  revalidatePath('/settings/communications');
  return template;
});

export const updateTemplateAction = defineAction(
  'settings.manage',
  templateInputSchema.omit({ key: true }).extend({ key: z.string().min(1), version: z.coerce.number().int().positive() }),
  async ({ key, version, ...input }, { actor, requestId }) => {
    const template = await updateTemplate(key, input, { ifVersion: version }, { actor, requestId });
    revalidatePath('/settings/communications');
    return template;
  },
);

export const deleteTemplateAction = defineAction('settings.manage', z.object({ key: z.string().min(1) }), async ({ key }, { actor, requestId }) => {
  await deleteTemplate(key, { actor, requestId });
  revalidatePath('/settings/communications');
  return { key };
});

export const saveBrandingAction = defineAction('settings.manage', brandingSchema, async (input, { actor, requestId }) => {
  const branding = await saveBranding(input, { actor, requestId });
  revalidatePath('/settings/communications');
  revalidatePath('/status');
  return branding;
});
