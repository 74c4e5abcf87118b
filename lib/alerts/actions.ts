'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { defineAction } from '@/lib/platform/auth/action';
import { ValidationError } from '@/lib/platform/errors';
import { parseJsonText } from '@/lib/platform/http/body';
import { routesSchema, severityMappingSchema } from '@/lib/alerts/routing';
import { silenceInputSchema } from '@/lib/alerts/silences';
import { alertIdSchema, declareFromAlertSchema, sourceInputSchema } from '@/lib/alerts/schema';
import { testRoute } from '@/lib/alerts/queries';
import {
  acknowledgeAlert,
  createSilence,
  createSource,
  declareFromAlert,
  deleteSource,
  endSilence,
  linkAlertToIncident,
  resolveAlert,
  rotateSourceToken,
  updateSource,
} from '@/lib/alerts/service';

const sourceId = z.uuid({ error: 'Unknown alert source' });

function refreshAlerts(incidentNumber?: number) {
  revalidatePath('/alerts');
  revalidatePath('/');
  if (incidentNumber) revalidatePath(`/incidents/${incidentNumber}`);
}

/** Settings → Alert sources: a new source; its token is in the answer, this once. */
export const createAlertSourceAction = defineAction('settings.manage', sourceInputSchema, async (input, { actor, requestId }) => {
  const source = await createSource(input, { actor, requestId });
  revalidatePath('/settings/alerts');
  return source;
});

/** The routes editor: name, routes and severity mapping, checked against the version edited. */
export const updateAlertSourceAction = defineAction(
  'settings.manage',
  sourceInputSchema.extend({ id: sourceId, routes: routesSchema, severityMapping: severityMappingSchema.nullable().optional(), version: z.number().int().positive() }),
  async ({ id, version, ...input }, { actor, requestId }) => {
    const source = await updateSource(id, input, { ifVersion: version }, { actor, requestId });
    revalidatePath('/settings/alerts');
    revalidatePath(`/settings/alerts/${id}`);
    return source;
  },
);

export const rotateAlertSourceTokenAction = defineAction('settings.manage', z.object({ id: sourceId }), async ({ id }, { actor, requestId }) => {
  const source = await rotateSourceToken(id, { actor, requestId });
  revalidatePath(`/settings/alerts/${id}`);
  return source;
});

export const deleteAlertSourceAction = defineAction('settings.manage', z.object({ id: sourceId }), async ({ id }, { actor, requestId }) => {
  await deleteSource(id, { actor, requestId });
  revalidatePath('/settings/alerts');
  refreshAlerts();
  return { id };
});

/** The Test route box: a pasted payload (JSON text), routed by the saved routes or the ones being edited. Stores nothing. */
export const testRouteAction = defineAction(
  'settings.manage',
  z.object({ id: sourceId, payload: z.string().min(1, 'Paste a payload as the sender would post it').max(1_048_576, 'Keep the payload under 1 MiB'), routes: routesSchema.optional() }),
  async ({ id, payload, routes }) => {
    let parsed: unknown;
    try {
      parsed = parseJsonText(payload);
    } catch (error) {
      throw new ValidationError([{ path: 'payload', message: (error as Error).message.replace(/^The body/, 'The payload') }]);
    }
    return testRoute(id, parsed, routes);
  },
);

const alertAction = z.object({ alertId: alertIdSchema });

export const acknowledgeAlertAction = defineAction('incidents.work', alertAction, async ({ alertId }, { actor, requestId }) => {
  const alert = await acknowledgeAlert(alertId, { actor, requestId });
  refreshAlerts(alert.incident?.number);
  return alert;
});

export const resolveAlertAction = defineAction('incidents.work', alertAction, async ({ alertId }, { actor, requestId }) => {
  const alert = await resolveAlert(alertId, { actor, requestId });
  refreshAlerts(alert.incident?.number);
  return alert;
});

export const declareFromAlertAction = defineAction('incidents.work', declareFromAlertSchema.extend({ alertId: alertIdSchema }), async ({ alertId, ...choice }, { actor, requestId }) => {
  const incident = await declareFromAlert(alertId, choice, { actor, requestId });
  refreshAlerts(incident.number);
  revalidatePath('/incidents');
  return incident;
});

export const linkAlertAction = defineAction(
  'incidents.work',
  z.object({
    alertId: alertIdSchema,
    incident: z
      .string({ error: 'Which incident? e.g. 42 or INC-42' })
      .trim()
      .regex(/^(?:INC-)?\d{1,9}$/i, 'Name the incident by its number, e.g. 42 or INC-42')
      .transform((value) => Number(value.replace(/^INC-/i, ''))),
  }),
  async ({ alertId, incident }, { actor, requestId }) => {
    const alert = await linkAlertToIncident(incident, alertId, { actor, requestId });
    refreshAlerts(incident);
    return alert;
  },
);

export const createSilenceAction = defineAction('incidents.work', silenceInputSchema, async (input, { actor, requestId }) => {
  const silence = await createSilence(input, { actor, requestId });
  revalidatePath('/alerts/silences');
  refreshAlerts();
  return silence;
});

export const endSilenceAction = defineAction('incidents.work', z.object({ id: z.uuid({ error: 'Unknown silence' }) }), async ({ id }, { actor, requestId }) => {
  const silence = await endSilence(id, { actor, requestId });
  revalidatePath('/alerts/silences');
  refreshAlerts();
  return silence;
});
