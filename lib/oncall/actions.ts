'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { defineAction } from '@/lib/platform/auth/action';
import { listPageTargets } from '@/lib/oncall/queries';
import {
  calendarFeedInputSchema,
  contactMethodInputSchema,
  incidentPageInputSchema,
  overrideInputSchema,
  pageInputSchema,
  policyInputSchema,
  reassignInputSchema,
  scheduleInputSchema,
} from '@/lib/oncall/schema';
import {
  acknowledgePage,
  addContactMethod,
  addOverride,
  calendarFeed,
  createPolicy,
  createSchedule,
  deleteContactMethod,
  deletePolicy,
  deleteSchedule,
  escalatePage,
  pageFromIncident,
  reassignPage,
  removeOverride,
  resolvePage,
  sendContactTest,
  triggerPage,
  updatePolicy,
  updateSchedule,
} from '@/lib/oncall/service';

const id = z.uuid({ error: 'Unknown id' });
const version = z.coerce.number().int().positive().optional();
/** Whose contact methods: `me` unless an admin manages someone else's. */
const person = z.string().trim().min(1).max(320).default('me');

function refreshOnCall() {
  revalidatePath('/oncall');
  revalidatePath('/settings/oncall');
}

// ---- Contact methods (Settings → Profile) ----

export const addContactMethodAction = defineAction('incidents.work', contactMethodInputSchema.and(z.object({ person })), async ({ person: who, ...input }, { actor, requestId }) => {
  const method = await addContactMethod(who, input, { actor, requestId });
  revalidatePath('/settings/profile');
  return method;
});

export const deleteContactMethodAction = defineAction('incidents.work', z.object({ person, id }), async ({ person: who, id: methodId }, { actor, requestId }) => {
  await deleteContactMethod(who, methodId, { actor, requestId });
  revalidatePath('/settings/profile');
  return { removed: methodId };
});

export const testContactMethodAction = defineAction('incidents.work', z.object({ person, id }), async ({ person: who, id: methodId }, { actor, requestId }) => {
  const notification = await sendContactTest(who, methodId, { actor, requestId });
  revalidatePath('/settings/profile');
  return notification;
});

export const calendarFeedAction = defineAction('incidents.work', calendarFeedInputSchema, async (input, { actor, requestId }) => (await calendarFeed(input, { actor, requestId })).feed);

// ---- Schedules and overrides ----

export const createScheduleAction = defineAction('settings.manage', scheduleInputSchema, async (input, { actor, requestId }) => {
  const schedule = await createSchedule(input, { actor, requestId });
  refreshOnCall();
  return schedule;
});

export const updateScheduleAction = defineAction('settings.manage', scheduleInputSchema.extend({ id, version }), async ({ id: scheduleId, version: ifVersion, ...input }, { actor, requestId }) => {
  const schedule = await updateSchedule(scheduleId, input, { ifVersion }, { actor, requestId });
  refreshOnCall();
  return schedule;
});

export const deleteScheduleAction = defineAction('settings.manage', z.object({ id }), async ({ id: scheduleId }, { actor, requestId }) => {
  await deleteSchedule(scheduleId, { actor, requestId });
  refreshOnCall();
  return { deleted: scheduleId };
});

/** "Take this shift" and the override form: responders for themselves, admins for anyone. */
export const addOverrideAction = defineAction('incidents.work', overrideInputSchema.and(z.object({ scheduleId: id })), async ({ scheduleId, ...input }, { actor, requestId }) => {
  const override = await addOverride(scheduleId, input, { actor, requestId });
  refreshOnCall();
  return override;
});

export const removeOverrideAction = defineAction('incidents.work', z.object({ scheduleId: id, overrideId: id }), async ({ scheduleId, overrideId }, { actor, requestId }) => {
  await removeOverride(scheduleId, overrideId, { actor, requestId });
  refreshOnCall();
  return { removed: overrideId };
});

// ---- Escalation policies ----

export const createPolicyAction = defineAction('settings.manage', policyInputSchema, async (input, { actor, requestId }) => {
  const policy = await createPolicy(input, { actor, requestId });
  refreshOnCall();
  return policy;
});

export const updatePolicyAction = defineAction('settings.manage', policyInputSchema.extend({ id, version }), async ({ id: policyId, version: ifVersion, ...input }, { actor, requestId }) => {
  const policy = await updatePolicy(policyId, input, { ifVersion }, { actor, requestId });
  refreshOnCall();
  return policy;
});

export const deletePolicyAction = defineAction('settings.manage', z.object({ id }), async ({ id: policyId }, { actor, requestId }) => {
  await deletePolicy(policyId, { actor, requestId });
  refreshOnCall();
  return { deleted: policyId };
});

// ---- Pages ----

function refreshPages(incidentNumber?: number | null) {
  revalidatePath('/pages');
  if (incidentNumber) revalidatePath(`/incidents/${incidentNumber}`);
}

/** Who and what can be paged, for the "Page…" dialog (read when it opens, so the command view stays as it is). */
export const listPageTargetsAction = defineAction('incidents.work', z.object({}).passthrough(), async () => listPageTargets());

export const triggerPageAction = defineAction('incidents.work', pageInputSchema, async (input, { actor, requestId }) => {
  const page = await triggerPage(input, { actor, requestId });
  refreshPages(page.incident?.number);
  return page;
});

export const pageFromIncidentAction = defineAction(
  'incidents.work',
  incidentPageInputSchema.extend({ number: z.coerce.number({ error: 'Unknown incident' }).int().positive('Unknown incident') }),
  async ({ number, ...input }, { actor, requestId }) => {
    const page = await pageFromIncident(number, input, { actor, requestId });
    refreshPages(number);
    return page;
  },
);

export const acknowledgePageAction = defineAction('incidents.work', z.object({ id }), async ({ id: pageId }, { actor, requestId }) => {
  const page = await acknowledgePage(pageId, { actor, requestId });
  refreshPages(page.incident?.number);
  return page;
});

export const resolvePageAction = defineAction('incidents.work', z.object({ id }), async ({ id: pageId }, { actor, requestId }) => {
  const page = await resolvePage(pageId, { actor, requestId });
  refreshPages(page.incident?.number);
  return page;
});

export const escalatePageAction = defineAction('incidents.work', z.object({ id }), async ({ id: pageId }, { actor, requestId }) => {
  const page = await escalatePage(pageId, { actor, requestId });
  refreshPages(page.incident?.number);
  return page;
});

export const reassignPageAction = defineAction('incidents.work', reassignInputSchema.extend({ id }), async ({ id: pageId, ...input }, { actor, requestId }) => {
  const page = await reassignPage(pageId, input, { actor, requestId });
  refreshPages(page.incident?.number);
  return page;
});
