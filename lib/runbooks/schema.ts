import { z } from 'zod';

const text = (max: number, what: string) => z.string().trim().max(max, `Keep the ${what} under ${max.toLocaleString('en')} characters`);

export const runbookStepSchema = z.object({
  id: z.string().max(64).optional(),
  title: z.string({ error: 'Every step needs a title' }).trim().min(1, 'Every step needs a title').max(300, 'Keep step titles under 300 characters'),
  detail: text(20_000, 'step details').default(''),
  command: text(20_000, 'command').nullable().default(null),
  expectedOutcome: text(2_000, 'expected outcome').nullable().default(null),
  remediationActionId: z.uuid({ error: 'Unknown remediation action' }).nullable().default(null),
  /** May be skipped without a second thought (its checklist item says so). */
  optional: z.boolean({ error: 'optional is true or false' }).default(false),
});
export type RunbookStep = z.output<typeof runbookStepSchema>;

export const runbookPhaseSchema = z.object({
  title: z.string({ error: 'Every phase needs a title' }).trim().min(1, 'Every phase needs a title').max(200, 'Keep phase titles under 200 characters'),
  timeBudget: text(80, 'time budget').nullable().default(null),
  steps: z.array(runbookStepSchema).max(500, 'A phase holds at most 500 steps'),
});
export type RunbookPhase = z.output<typeof runbookPhaseSchema>;

export const runbookReferenceSchema = z.object({
  kind: z.enum(['contacts', 'escalation', 'message_template', 'report_template', 'severity_table', 'links', 'other']),
  title: text(200, 'reference title'),
  markdown: text(50_000, 'reference note'),
});
export type RunbookReference = z.output<typeof runbookReferenceSchema>;

const listOfNames = (what: string) =>
  z
    .array(z.string().trim().min(1).max(80, `Keep ${what} under 80 characters`))
    .max(30, `At most 30 ${what}`)
    .default([])
    .transform((values) => [...new Set(values)]);

export const runbookInputSchema = z.object({
  title: z.string({ error: 'Give the runbook a title' }).trim().min(2, 'Give the runbook a title').max(200, 'Keep the title under 200 characters'),
  description: text(10_000, 'description').default(''),
  tags: listOfNames('tags'),
  services: listOfNames('services'),
  severities: z
    .array(z.string().trim().toUpperCase().regex(/^SEV\d+$/, 'Severities look like SEV1'))
    .max(10)
    .default([])
    .transform((values) => [...new Set(values)]),
  phases: z.array(runbookPhaseSchema).min(1, 'A runbook needs at least one phase with steps').max(50, 'At most 50 phases'),
  references: z.array(runbookReferenceSchema).max(50).default([]),
  changeNote: text(500, 'change note').default(''),
});
export type RunbookInput = z.input<typeof runbookInputSchema>;

export const runbookSummarySchema = z
  .object({
    id: z.uuid(),
    title: z.string(),
    version: z.number().int(),
    tags: z.array(z.string()),
    services: z.array(z.string()),
    severities: z.array(z.string()),
    steps: z.number().int(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'RunbookSummary' });
export type RunbookSummary = z.infer<typeof runbookSummarySchema>;

export const runbookSchema = z
  .object({
    id: z.uuid(),
    title: z.string(),
    description: z.string(),
    version: z.number().int(),
    latestVersion: z.number().int(),
    tags: z.array(z.string()),
    services: z.array(z.string()),
    severities: z.array(z.string()),
    phases: z.array(runbookPhaseSchema.extend({ steps: z.array(runbookStepSchema.extend({ id: z.string() })) })),
    references: z.array(runbookReferenceSchema),
    changeNote: z.string(),
    createdBy: z.object({ email: z.string(), name: z.string() }).nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Runbook' });
export type RunbookDto = z.infer<typeof runbookSchema>;
