'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { defineAction } from '@/lib/platform/auth/action';
import { actionInputSchema, fireInputSchema, previewInputSchema, resendInputSchema } from '@/lib/remediation/schema';
import { createAction, fireRemediation, previewAction, resendDelivery, rotateSigningSecret, setActionEnabled, updateAction } from '@/lib/remediation/service';

const number = z.coerce.number({ error: 'Unknown incident' }).int().positive('Unknown incident');
const actionId = z.uuid({ error: 'Unknown remediation action' });

/** Fires a remediation action from the command view or from a runbook step linked to it. */
export const fireRemediationAction = defineAction('incidents.work', fireInputSchema.extend({ number }), async ({ number, ...input }, { actor, requestId }) => {
  const delivery = await fireRemediation(number, input, { actor, requestId });
  revalidatePath(`/incidents/${number}`);
  return { id: delivery.id, status: delivery.status };
});

/** "Re-send": a new delivery of the same action and parameters. */
export const resendDeliveryAction = defineAction('incidents.work', resendInputSchema.extend({ deliveryId: z.uuid({ error: 'Unknown delivery' }) }), async ({ deliveryId, ...input }, { actor, requestId }) => {
  const delivery = await resendDelivery(deliveryId, input, { actor, requestId });
  revalidatePath(`/incidents/${delivery.incident.number}`);
  return { id: delivery.id, status: delivery.status };
});

/** Settings → Remediation actions: define a new action. The signing secret comes back this once. */
export const createRemediationAction = defineAction('settings.manage', actionInputSchema, async (input, { actor, requestId }) => {
  const created = await createAction(input, { actor, requestId });
  revalidatePath('/settings/remediation');
  return created;
});

export const updateRemediationAction = defineAction(
  'settings.manage',
  actionInputSchema.extend({ id: actionId, version: z.number().int().positive() }),
  async ({ id, version, ...input }, { actor, requestId }) => {
    const action = await updateAction(id, input, { ifVersion: version }, { actor, requestId });
    revalidatePath('/settings/remediation');
    return action;
  },
);

/** "Test": what firing would send, rendered from the form as it stands, without sending. */
export const previewRemediationAction = defineAction(
  'settings.manage',
  previewInputSchema.extend({ id: actionId.optional() }),
  async ({ id, incidentNumber, sampleParameters, ...input }, { actor, requestId }) => previewAction(input, { id, incidentNumber, parameters: sampleParameters }, { actor, requestId }),
);

export const rotateRemediationSecret = defineAction(
  'settings.manage',
  z.object({ id: actionId, overlapHours: z.coerce.number().int().min(0).max(168, 'At most a week (168 hours) of overlap').default(24) }),
  async ({ id, overlapHours }, { actor, requestId }) => {
    const rotated = await rotateSigningSecret(id, overlapHours, { actor, requestId });
    revalidatePath('/settings/remediation');
    return rotated;
  },
);

export const setRemediationEnabled = defineAction('settings.manage', z.object({ id: actionId, enabled: z.boolean() }), async ({ id, enabled }, { actor, requestId }) => {
  const action = await setActionEnabled(id, enabled, { actor, requestId });
  revalidatePath('/settings/remediation');
  return action;
});
