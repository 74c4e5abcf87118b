'use server';

import { revalidatePath } from 'next/cache';
import { defineAction } from '@/lib/platform/auth/action';
import { severityUpdateSchema } from '@/lib/severities/schema';
import { updateSeverity } from '@/lib/severities/service';

export const updateSeverityAction = defineAction('settings.manage', severityUpdateSchema, async (input, { actor, requestId }) => {
  const severity = await updateSeverity(input, { actor, requestId });
  revalidatePath('/settings/severities');
  revalidatePath('/');
  return { key: severity.key, name: severity.name };
});
