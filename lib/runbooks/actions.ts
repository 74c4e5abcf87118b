'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { incidentNumberValue } from '@/lib/incidents/schema';
import { defineAction } from '@/lib/platform/auth/action';
import { runbookInputSchema } from '@/lib/runbooks/schema';
import { runbookImportSchema } from '@/lib/runbooks/import-schema';
import { createRunbook, createRunbooks, importRunbooks, updateRunbook } from '@/lib/runbooks/service';

export const createRunbookAction = defineAction('incidents.work', runbookInputSchema, async (input, { actor, requestId }) => {
  const created = await createRunbook(input, { actor, requestId });
  revalidatePath('/runbooks');
  return created;
});

export const updateRunbookAction = defineAction(
  'incidents.work',
  z.object({ id: z.uuid({ error: 'Unknown runbook' }), baseVersion: z.number().int().positive(), runbook: runbookInputSchema, fromIncident: incidentNumberValue.optional() }),
  async ({ id, baseVersion, runbook, fromIncident }, { actor, requestId }) => {
    const saved = await updateRunbook(id, runbook, { ifVersion: baseVersion, fromIncident }, { actor, requestId });
    revalidatePath('/runbooks');
    revalidatePath(`/runbooks/${id}`);
    return saved;
  },
);

/** Reads pasted or uploaded Markdown into runbook drafts without saving anything. */
export const previewRunbookImportAction = defineAction('incidents.work', runbookImportSchema, async (input, { actor, requestId }) =>
  importRunbooks({ ...input, dryRun: true }, { actor, requestId }),
);

/** Saves the drafts the person kept (and adjusted) from an import preview, all or none. */
export const saveImportedRunbooksAction = defineAction(
  'incidents.work',
  z.object({ runbooks: z.array(runbookInputSchema).min(1, 'Choose at least one runbook to import').max(100, 'Import at most 100 runbooks at a time') }),
  async ({ runbooks }, { actor, requestId }) => {
    const created = await createRunbooks(runbooks, { actor, requestId });
    revalidatePath('/runbooks');
    return created;
  },
);
