import { z } from 'zod';
import { defineOperation } from '@/lib/platform/http/operation';
import { incidentNumberSchema } from '@/lib/incidents/schema';
import { actionInputSchema, actionSchema, deliverySchema, fireInputSchema, previewInputSchema, previewSchema, resendInputSchema } from '@/lib/remediation/schema';

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

const actionIdParams = z.object({ id: z.uuid({ error: 'action ids are UUIDs' }) });

export const getActionOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/remediation-actions/{id}',
  summary: 'One action (secrets never returned). Its ETag is the version to send in If-Match when updating.',
  tag: 'Remediation',
  permission: 'read',
  params: actionIdParams,
  responses: { 200: { description: 'The action', schema: actionSchema } },
});

export const updateActionOperation = defineOperation({
  method: 'PUT',
  path: '/api/v1/remediation-actions/{id}',
  summary:
    'Replace an action’s definition (admin). A secret header given as `{name, secret: true}` without a value keeps its stored value. Optional `If-Match: "<version>"`: 412 when someone saved it since. The signing secret is unchanged (rotate-secret).',
  tag: 'Remediation',
  permission: 'settings.manage',
  params: actionIdParams,
  body: actionInputSchema,
  responses: { 200: { description: 'The saved action', schema: actionSchema } },
});

export const setActionEnabledOperation = defineOperation({
  method: 'POST',
  path: '/api/v1/remediation-actions/{id}/enabled',
  summary: 'Enable (`{"enabled": true}`) an action — e.g. one its receiver disabled with 410 Gone — or disable it so nobody can fire it.',
  tag: 'Remediation',
  permission: 'settings.manage',
  params: actionIdParams,
  body: z.object({ enabled: z.boolean({ error: 'enabled is true or false' }) }),
  responses: { 200: { description: 'The action', schema: actionSchema } },
});

export const previewActionOperation = defineOperation({
  method: 'POST',
  path: '/api/v1/remediation-actions/test',
  summary:
    '"Test" an action definition without sending anything: the method, URL, headers (secret values masked) and body exactly as firing would send them, for `incidentNumber` (default: the newest open incident) and `sampleParameters`. 422 with line and column for a template error.',
  tag: 'Remediation',
  permission: 'settings.manage',
  body: previewInputSchema,
  responses: { 200: { description: 'What would be sent', schema: previewSchema } },
});

export const previewStoredActionOperation = defineOperation({
  method: 'POST',
  path: '/api/v1/remediation-actions/{id}/test',
  summary: '"Test" a saved action: what firing it would send, signed with its real secret, without sending it.',
  tag: 'Remediation',
  permission: 'settings.manage',
  params: actionIdParams,
  body: z.object({ incidentNumber: z.number().int().positive().max(999_999_999, 'Incident numbers have at most 9 digits').optional(), sampleParameters: previewInputSchema.shape.sampleParameters }),
  responses: { 200: { description: 'What would be sent', schema: previewSchema } },
});

export const resendDeliveryOperation = defineOperation({
  method: 'POST',
  path: '/api/v1/deliveries/{id}/resend',
  summary: 'Re-send: a new delivery of the same action with the same parameters (a new webhook-id). 409 when the action requires confirmation and `confirm` is missing.',
  tag: 'Remediation',
  permission: 'incidents.work',
  params: z.object({ id: z.uuid({ error: 'delivery ids are UUIDs' }) }),
  body: resendInputSchema,
  responses: { 202: { description: 'The new delivery, pending', schema: deliverySchema } },
});
