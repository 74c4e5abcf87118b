'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { defineAction } from '@/lib/platform/auth/action';
import { declareIncidentRequestSchema } from '@/lib/incidents/operations';
import {
  incidentPatchSchema,
  keyTimeCorrectionSchema,
  mergeSchema,
  roleSchema,
  type IncidentDto,
} from '@/lib/incidents/schema';
import {
  acknowledgeIncident,
  addMember,
  addSme,
  assignRole,
  correctKeyTime,
  declareIncident,
  mergeIncident,
  removeMember,
  removeSme,
  unassignRole,
  updateIncident,
} from '@/lib/incidents/service';
import { MAX_RENDERED_CHARS, renderMarkdown } from '@/lib/platform/markdown/render';
import type { SafeHtml } from '@/lib/platform/markdown/safe-html';

const number = z.coerce.number({ error: 'Unknown incident' }).int().positive('Unknown incident');
const version = z.coerce.number().int().positive().optional();

function refresh(incidentNumber: number) {
  revalidatePath(`/incidents/${incidentNumber}`);
  revalidatePath('/');
}

export const declareIncidentAction = defineAction('incidents.work', declareIncidentRequestSchema, async (input, { actor, requestId }): Promise<IncidentDto> => {
  const incident = await declareIncident(input, { actor, requestId });
  revalidatePath('/');
  revalidatePath('/incidents');
  return incident;
});

export const updateIncidentAction = defineAction(
  'incidents.work',
  incidentPatchSchema.extend({ number, version }),
  async ({ number, version, ...patch }, { actor, requestId }): Promise<IncidentDto> => {
    const incident = await updateIncident(number, patch, { ifVersion: version }, { actor, requestId });
    refresh(number);
    return incident;
  },
);

export const acknowledgeIncidentAction = defineAction('incidents.work', z.object({ number }), async ({ number }, { actor, requestId }) => {
  const incident = await acknowledgeIncident(number, { actor, requestId });
  refresh(number);
  return incident;
});

export const correctKeyTimeAction = defineAction(
  'incidents.work',
  keyTimeCorrectionSchema.extend({ number, version }),
  async ({ number, version, ...correction }, { actor, requestId }) => {
    const incident = await correctKeyTime(number, correction, { ifVersion: version }, { actor, requestId });
    refresh(number);
    return incident;
  },
);

export const assignRoleAction = defineAction(
  'incidents.work',
  z.object({ number, version, role: roleSchema, email: z.string({ error: 'Choose a person' }).min(1, 'Choose a person') }),
  async ({ number, version, role, email }, { actor, requestId }) => {
    const incident = await assignRole(number, role, email, { ifVersion: version }, { actor, requestId });
    refresh(number);
    return incident;
  },
);

export const unassignRoleAction = defineAction('incidents.work', z.object({ number, version, role: roleSchema }), async ({ number, version, role }, { actor, requestId }) => {
  const incident = await unassignRole(number, role, { ifVersion: version }, { actor, requestId });
  refresh(number);
  return incident;
});

export const addSmeAction = defineAction('incidents.work', z.object({ number, email: z.string().min(1, 'Choose a person') }), async ({ number, email }, { actor, requestId }) => {
  const incident = await addSme(number, email, { actor, requestId });
  refresh(number);
  return incident;
});

export const removeSmeAction = defineAction('incidents.work', z.object({ number, email: z.string().min(1) }), async ({ number, email }, { actor, requestId }) => {
  const incident = await removeSme(number, email, { actor, requestId });
  refresh(number);
  return incident;
});

/**
 * The preview of a status update being written: the browser sends the text a moment after typing
 * stops and shows the server's rendering, so it never parses Markdown itself (no parser in the
 * bundle, the same output the posted update will have).
 */
export const previewMarkdownAction = defineAction(
  'incidents.work',
  z.object({
    markdown: z.string({ error: 'Send the Markdown to preview' }).max(MAX_RENDERED_CHARS, `Preview at most ${MAX_RENDERED_CHARS.toLocaleString('en')} characters`),
    hardBreaks: z.boolean({ error: 'hardBreaks must be true or false' }).default(false),
  }),
  async ({ markdown, hardBreaks }): Promise<{ html: SafeHtml }> => ({ html: renderMarkdown(markdown, { hardBreaks }) }),
);

export const addMemberAction = defineAction('incidents.work', z.object({ number, email: z.string().min(1, 'Choose a person') }), async ({ number, email }, { actor, requestId }) => {
  const members = await addMember(number, email, { actor, requestId });
  refresh(number);
  return members;
});

export const removeMemberAction = defineAction('incidents.work', z.object({ number, email: z.string().min(1) }), async ({ number, email }, { actor, requestId }) => {
  const members = await removeMember(number, email, { actor, requestId });
  refresh(number);
  return members;
});

/** Merges this incident (a duplicate) into `into`; answers the survivor, where the page goes next. */
export const mergeIncidentAction = defineAction('incidents.work', mergeSchema.extend({ number }), async ({ number, ...input }, { actor, requestId }) => {
  const { survivor } = await mergeIncident(number, input, { actor, requestId });
  refresh(number);
  refresh(survivor.number);
  return survivor;
});
