import { z } from 'zod';
import { incidentStatuses } from '@/lib/incidents/lifecycle';
import { personSchema } from '@/lib/timeline/schema';
import { emailSchema } from '@/lib/platform/auth/email';
import { shown, STORABLE_TIME_MESSAGE, storableTime, whenFieldsValid } from '@/lib/platform/validation';
import { postUpdateSchema } from '@/lib/communications/schema';
import { incidentRoles, keyTimeFields, memberReasons } from '@/lib/incidents/vocabulary';

export { incidentRoles, keyTimeFields, keyTimeLabels, memberReasonLabels, memberReasons, roleLabels } from '@/lib/incidents/vocabulary';
export type { IncidentRole, KeyTimeField, MemberReason } from '@/lib/incidents/vocabulary';

export const statusSchema = z.enum(incidentStatuses, { error: `Status must be one of ${incidentStatuses.join(', ')}` });
export const roleSchema = z.enum(incidentRoles, { error: `Role must be one of ${incidentRoles.join(', ')}` });

// Which severities exist is the database's business (admins edit them); the service checks.
export const severityKeySchema = z
  .string({ error: 'Choose a severity, e.g. SEV2' })
  .trim()
  .toUpperCase()
  .regex(/^SEV\d+$/, { error: (issue) => `${shown(issue.input)} is not a severity; use SEV1–SEV4` });

const isoTime = z.iso.datetime({ offset: true, error: 'Use an ISO-8601 time, e.g. 2026-11-22T14:02:00Z' }).refine(storableTime, STORABLE_TIME_MESSAGE);

export const servicesSchema = z
  .array(z.string().trim().min(1, 'Service names cannot be empty').max(80, 'Keep service names under 80 characters'), {
    error: 'services must be a list of service names',
  })
  .max(30, 'List at most 30 affected services')
  .transform((services) => [...new Set(services)]);

export const titleSchema = z.string({ error: 'Give the incident a title' }).trim().min(3, 'Give the incident a title of at least 3 characters').max(200, 'Keep the title under 200 characters');
export const summarySchema = z.string().trim().max(10_000, 'Keep the summary under 10,000 characters');

// The times a declaration names must make sense together; checked whenever both parsed, so the
// answer lists this alongside any other field's problem (lib/platform/validation.ts).
export const declareIncidentSchema = z.object({
  title: titleSchema,
  severity: severityKeySchema,
  summary: summarySchema.optional(),
  services: servicesSchema.optional(),
  customerImpact: z.boolean({ error: 'customerImpact must be true or false' }).optional(),
  startedAt: isoTime.optional(),
  detectedAt: isoTime.optional(),
  /** Who takes command; the declarer when left out. */
  commanderEmail: emailSchema.optional(),
  /** Only its members (declarer, role holders, SMEs, people added) and admins see a private incident. */
  private: z.boolean({ error: 'private must be true or false' }).optional(),
}).superRefine(
  (value, ctx) => {
    const started = value.startedAt ? Date.parse(value.startedAt) : null;
    const detected = value.detectedAt ? Date.parse(value.detectedAt) : null;
    if (started !== null && started > Date.now() + 60_000) ctx.addIssue({ code: 'custom', path: ['startedAt'], message: 'The start time is in the future' });
    if (started !== null && detected !== null && detected < started) {
      ctx.addIssue({ code: 'custom', path: ['detectedAt'], message: 'The incident was detected before it started; check both times' });
    }
  },
  { when: whenFieldsValid('startedAt', 'detectedAt') },
);
export type DeclareIncidentInput = z.input<typeof declareIncidentSchema>;

export const incidentPatchSchema = z.object({
  status: statusSchema.optional(),
  severity: severityKeySchema.optional(),
  title: titleSchema.optional(),
  summary: summarySchema.optional(),
  services: servicesSchema.optional(),
  customerImpact: z.boolean({ error: 'customerImpact must be true or false' }).optional(),
  private: z.boolean({ error: 'private must be true or false' }).optional(),
  reason: z.string().trim().max(2_000, 'Keep the reason under 2,000 characters').optional(),
  /** A status update posted with the change, in the same transaction (resolving with its resolution update). */
  update: postUpdateSchema.optional(),
});
export type IncidentPatch = z.input<typeof incidentPatchSchema>;

export const keyTimeCorrectionSchema = z.object({
  field: z.enum(keyTimeFields, { error: `field must be one of ${keyTimeFields.join(', ')}` }),
  value: isoTime.nullable(),
  reason: z.string({ error: 'Say why the time is corrected' }).trim().min(3, 'Say why the time is corrected').max(2_000),
});
export type KeyTimeCorrection = z.input<typeof keyTimeCorrectionSchema>;

const timesSchema = z.object({
  startedAt: z.iso.datetime().nullable(),
  detectedAt: z.iso.datetime().nullable(),
  declaredAt: z.iso.datetime(),
  acknowledgedAt: z.iso.datetime().nullable(),
  mitigatedAt: z.iso.datetime().nullable(),
  resolvedAt: z.iso.datetime().nullable(),
  closedAt: z.iso.datetime().nullable(),
});

export const incidentSchema = z
  .object({
    number: z.number().int(),
    key: z.string().describe('INC-<number>'),
    title: z.string(),
    summary: z.string(),
    severity: z.string(),
    status: statusSchema,
    services: z.array(z.string()),
    customerImpact: z.boolean(),
    private: z.boolean().describe('Seen only by its members and admins; to anyone else it answers 404 as if it did not exist'),
    roles: z.object({
      commander: personSchema.nullable(),
      tech_lead: personSchema.nullable(),
      comms_lead: personSchema.nullable(),
      scribe: personSchema.nullable(),
    }),
    smes: z.array(personSchema),
    times: timesSchema,
    alerts: z
      .array(z.object({ id: z.uuid(), status: z.enum(['firing', 'acknowledged', 'silenced', 'resolved']), title: z.string() }))
      .describe('Alerts linked to the incident (at most 200, oldest first; GET /api/v1/alerts?incident=<n> lists them all)'),
    version: z.number().int(),
    updatedAt: z.iso.datetime(),
    updatedBy: personSchema.nullable(),
    url: z.string(),
    mergedInto: z.object({ number: z.number().int(), key: z.string() }).nullable().describe('The incident this duplicate was merged into; null for one that was not'),
  })
  .meta({ id: 'Incident' });
export type IncidentDto = z.infer<typeof incidentSchema>;

export const incidentKey = (number: number) => `INC-${number}`;

export const memberSchema = z
  .object({
    email: z.string(),
    name: z.string(),
    reasons: z.array(z.enum(memberReasons)).describe('Why they are a member: declarer, a role, sme, or added'),
    addedBy: personSchema.nullable().describe('Who added them, when one of the reasons is `added`'),
  })
  .meta({ id: 'IncidentMember' });
export type MemberDto = z.infer<typeof memberSchema>;

export const memberInputSchema = z.object({ email: z.string({ error: 'Send the email of the person to add' }).trim().min(1, 'Send the email of the person to add') });
export type MemberInput = z.input<typeof memberInputSchema>;
/**
 * An incident's number sent as a JSON number. Numbers have at most 9 digits, as in a path
 * (`incidentNumberSchema`); a larger one names no incident and must not reach the database's integer.
 */
export const incidentNumberValue = z
  .number()
  .int('Incident numbers are whole numbers, e.g. 42')
  .positive('Incident numbers start at 1, e.g. 42')
  .max(999_999_999, 'No incident has a number that large (at most 9 digits); name one that exists, e.g. 42');

/** `into`: the incident that carries on, by number (`12` or `INC-12`). */
export const mergeSchema = z.object({
  into: z.union([incidentNumberValue, z.string().trim().regex(/^(?:INC-)?\d{1,9}$/i, 'Name the incident to merge into, e.g. 12 or INC-12').transform((value) => Number(value.replace(/^INC-/i, '')))], {
    error: 'Name the incident to merge into, e.g. 12 or INC-12',
  }),
  reason: z.string().trim().max(2_000, 'Keep the reason under 2,000 characters').optional(),
});
export type MergeInput = z.input<typeof mergeSchema>;

/** `42`, `INC-42` and `inc-42` all name INC-42. */
export const incidentNumberSchema = z
  .string()
  .trim()
  .regex(/^(?:INC-)?\d{1,9}$/i, 'Incidents are numbered, e.g. 42 or INC-42')
  .transform((value) => Number(value.replace(/^INC-/i, '')));
