import { z } from 'zod';

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// Headers Sitrep sets itself: an action may not override the signature or the framing.
const RESERVED_HEADERS = new Set(['webhook-id', 'webhook-timestamp', 'webhook-signature', 'content-length', 'host', 'transfer-encoding', 'connection']);

export const parameterSchema = z.object({
  name: z.string().trim().regex(/^[a-z][a-z0-9_]{0,39}$/i, 'Parameter names are letters, digits and _ (e.g. replicas)'),
  type: z.enum(['string', 'number', 'boolean'], { error: 'A parameter is a string, number or boolean' }),
  required: z.boolean().default(false),
  description: z.string().trim().max(200).default(''),
});
export type ActionParameter = z.output<typeof parameterSchema>;

const headerName = z
  .string()
  .trim()
  .regex(HEADER_NAME, 'Header names are letters, digits and - (e.g. X-Api-Key)')
  .refine((name) => !RESERVED_HEADERS.has(name.toLowerCase()), 'Sitrep sets this header itself');

const headerInputSchema = z.object({
  name: headerName,
  // Omitted for a secret header that keeps its stored value when the action is edited.
  value: z.string().max(4_000).optional(),
  secret: z.boolean().default(false),
});

const looksSecret = (name: string) => /authorization|token|key|secret|password|cookie/i.test(name);

/**
 * Headers arrive as {name: value} (API) or as a list (settings form). Every value is sealed at
 * rest whatever its name; `secret` only decides whether "Test" masks a value typed just now.
 */
const headersSchema = z
  .union([
    z.array(headerInputSchema).max(30, 'At most 30 headers'),
    z.record(headerName, z.string().max(4_000)).transform((record) => Object.entries(record).map(([name, value]) => ({ name, value, secret: looksSecret(name) }))),
  ])
  .default([]);

/** Services or tags an action is for: trimmed, each once, at most 30 of at most 80 characters. */
function labelList(field: string, what: string) {
  return z
    .array(z.string().trim().min(1, `${field} cannot hold an empty entry`).max(80, `Keep ${what} under 80 characters`), { error: `${field} is a list of ${what}` })
    .max(30, `List at most 30 ${what}`)
    .transform((items) => [...new Set(items)]);
}

export const actionInputSchema = z.object({
  name: z.string({ error: 'Give the action a name' }).trim().min(2, 'Give the action a name').max(80, 'Keep the name under 80 characters'),
  description: z.string().trim().max(2_000).default(''),
  services: labelList('services', 'service names').default([]),
  tags: labelList('tags', 'tags').default([]),
  url: z.string({ error: 'Give the URL Sitrep should call' }).trim().min(1, 'Give the URL Sitrep should call').max(2_000),
  method: z
    .string()
    .trim()
    .toUpperCase()
    .pipe(z.enum(['POST', 'PUT', 'PATCH', 'DELETE', 'GET'], { error: 'Use POST, PUT, PATCH, DELETE or GET' }))
    .default('POST'),
  headers: headersSchema,
  bodyTemplate: z.string().max(20_000, 'Keep the body template under 20,000 characters').nullable().optional(),
  timeoutMs: z.coerce
    .number({ error: 'timeoutMs is a number of milliseconds' })
    .int()
    .min(1_000, 'A timeout under 1 s (1000 ms) leaves no time to answer')
    .max(30_000, 'The timeout is at most 30 s (30000 ms)')
    .default(10_000),
  maxAttempts: z.coerce.number({ error: 'maxAttempts is a number' }).int().min(1, 'At least one attempt').max(10, 'At most 10 attempts').default(5),
  requiresConfirmation: z.boolean().default(false),
  minRole: z.enum(['responder', 'admin'], { error: 'Who may fire it: responder or admin' }).default('responder'),
  parameters: z.array(parameterSchema).max(10, 'At most 10 parameters').default([]),
});
export type ActionInput = z.input<typeof actionInputSchema>;

export const fireInputSchema = z.object({
  actionId: z.uuid({ error: 'actionId is the id of a remediation action' }),
  confirm: z.boolean().optional(),
  parameters: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  /** The runbook step (checklist item) it was fired from, when it was; shown on the timeline. */
  checklistItemId: z.uuid({ error: 'checklistItemId is the id of a checklist step' }).optional(),
});
export type FireInput = z.input<typeof fireInputSchema>;

export const resendInputSchema = z.object({ confirm: z.boolean().optional() });

export const previewInputSchema = actionInputSchema.extend({
  incidentNumber: z.coerce.number().int().positive().max(999_999_999, 'Incident numbers have at most 9 digits').optional(),
  sampleParameters: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
});

export const previewSchema = z
  .object({
    method: z.string(),
    url: z.string(),
    headers: z.array(z.object({ name: z.string(), value: z.string(), secret: z.boolean() })),
    body: z.string(),
    destination: z.union([z.object({ ok: z.literal(true) }), z.object({ ok: z.literal(false), reason: z.string() })]),
    incident: z.object({ number: z.number().int(), key: z.string() }).nullable(),
  })
  .meta({ id: 'RemediationPreview' });
/** What "Test" shows: the request firing would send. Secret header values are masked. */
export type ActionPreview = z.infer<typeof previewSchema>;

export const actionSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string(),
    services: z.array(z.string()).describe('Incidents affecting these services list it first'),
    tags: z.array(z.string()).describe('Incidents whose runbooks carry these tags list it first'),
    url: z.string(),
    method: z.string(),
    // Every value is sealed: `value` is always null and `secret` always true; `hint` (admins only) tells values apart.
    headers: z.array(z.object({ name: z.string(), value: z.null(), secret: z.literal(true), hint: z.string().nullable() })),
    bodyTemplate: z.string().nullable(),
    timeoutMs: z.number().int(),
    maxAttempts: z.number().int(),
    requiresConfirmation: z.boolean(),
    minRole: z.enum(['responder', 'admin']),
    parameters: z.array(parameterSchema),
    disabled: z.object({ at: z.iso.datetime(), reason: z.string() }).nullable(),
    secretRotation: z.object({ previousValidUntil: z.iso.datetime() }).nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'RemediationAction' });
export type ActionDto = z.infer<typeof actionSchema>;

export const deliverySchema = z
  .object({
    id: z.uuid(),
    actionId: z.uuid(),
    action: z.object({ id: z.uuid(), name: z.string() }),
    incident: z.object({ number: z.number().int(), key: z.string() }),
    status: z.enum(['pending', 'retrying', 'succeeded', 'failed']),
    parameters: z.record(z.string(), z.unknown()),
    attempts: z.array(z.object({ at: z.iso.datetime(), statusCode: z.number().int().nullable(), error: z.string().nullable(), durationMs: z.number().int(), excerpt: z.string().nullable() })),
    nextAttemptAt: z.iso.datetime().nullable(),
    requestedBy: z.object({ email: z.string(), name: z.string() }).nullable(),
    createdAt: z.iso.datetime(),
    completedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Delivery' });
export type DeliveryDto = z.infer<typeof deliverySchema>;
