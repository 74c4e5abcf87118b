'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { defineAction } from '@/lib/auth/action';
import { fireInputSchema } from '@/lib/remediation/schema';
import { fireRemediation } from '@/lib/remediation/service';

const number = z.coerce.number({ error: 'Unknown incident' }).int().positive('Unknown incident');

/** Fires a remediation action from the command view. */
export const fireRemediationAction = defineAction('incidents.work', fireInputSchema.extend({ number }), async ({ number, ...input }, { actor, requestId }) => {
  const delivery = await fireRemediation(number, input, { actor, requestId });
  revalidatePath(`/incidents/${number}`);
  return { id: delivery.id, status: delivery.status };
});
