import { z } from 'zod';
import { defineOperation } from '@/lib/api/operation';
import { incidentNumberSchema } from '@/lib/incidents/schema';
import { actionInputSchema, actionSchema, deliverySchema, fireInputSchema } from '@/lib/remediation/schema';

export const listActionsOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/remediation-actions',
  summary: 'Remediation actions. Secret header values and signing secrets are never returned.',
  tag: 'Remediation',
  permission: 'read',
  responses: { 200: { description: 'Actions', schema: z.object({ items: z.array(actionSchema) }) } },
});

export const createActionOperation = defineOperation({
  method: 'POST',
  path: '/api/v1/remediation-actions',
  summary:
    'Define an action (admin). The URL must not be, or resolve to, an internal address unless its host is in SITREP_WEBHOOK_ALLOW_HOSTS (422). The answer carries `signingSecret` (whsec_…) this once.',
  tag: 'Remediation',
  permission: 'settings.manage',
  body: actionInputSchema,
  responses: { 201: { description: 'The action and its signing secret', schema: actionSchema.extend({ signingSecret: z.string() }) } },
});

export const rotateSecretOperation = defineOperation({
  method: 'POST',
  path: '/api/v1/remediation-actions/{id}/rotate-secret',
  summary: 'A new signing secret (shown once); the old one keeps signing alongside for `overlapHours` (default 24).',
  tag: 'Remediation',
  permission: 'settings.manage',
  params: z.object({ id: z.uuid({ error: 'action ids are UUIDs' }) }),
  body: z.object({ overlapHours: z.number().int().min(0).max(168, 'At most a week (168 hours) of overlap').default(24) }),
  responses: { 200: { description: 'The action and its new signing secret', schema: actionSchema.extend({ signingSecret: z.string() }) } },
});

export const fireRemediationOperation = defineOperation({
  method: 'POST',
  path: '/api/v1/incidents/{number}/remediations',
  summary: 'Fire an action for the incident: 202 with the delivery, which a worker sends and retries. 409 when the action requires confirmation and `confirm` is missing.',
  tag: 'Remediation',
  permission: 'incidents.work',
  params: z.object({ number: incidentNumberSchema }),
  body: fireInputSchema,
  responses: { 202: { description: 'The delivery, pending', schema: deliverySchema } },
});

export const getDeliveryOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/deliveries/{id}',
  summary: 'A delivery with every attempt (status code or error, duration, an excerpt of the answer).',
  tag: 'Remediation',
  permission: 'read',
  params: z.object({ id: z.uuid({ error: 'delivery ids are UUIDs' }) }),
  responses: { 200: { description: 'The delivery', schema: deliverySchema } },
});
