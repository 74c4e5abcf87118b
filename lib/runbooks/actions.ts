'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { defineAction } from '@/lib/auth/action';
import { runbookInputSchema } from '@/lib/runbooks/schema';
import { createRunbook, updateRunbook } from '@/lib/runbooks/service';

export const createRunbookAction = defineAction('incidents.work', runbookInputSchema, async (input, { actor, requestId }) => {
  const created = await createRunbook(input, { actor, requestId });
  revalidatePath('/runbooks');
  return created;
});

export const updateRunbookAction = defineAction(
  'incidents.work',
  z.object({ id: z.uuid({ error: 'Unknown runbook' }), baseVersion: z.number().int().positive(), runbook: runbookInputSchema }),
  async ({ id, baseVersion, runbook }, { actor, requestId }) => {
    const saved = await updateRunbook(id, runbook, { ifVersion: baseVersion }, { actor, requestId });
    revalidatePath('/runbooks');
    revalidatePath(`/runbooks/${id}`);
    return saved;
  },
);
