import { z } from 'zod';

export const checklistItemStates = ['open', 'done', 'skipped'] as const;

export const itemStateSchema = z
  .object({
    state: z.enum(checklistItemStates, { error: `state must be one of ${checklistItemStates.join(', ')}` }),
    note: z.string().trim().max(2_000, 'Keep the note under 2,000 characters').optional(),
  })
  .refine((value) => value.state !== 'skipped' || Boolean(value.note), { path: ['note'], message: 'Say why the step is skipped' });
export type ItemStateInput = z.input<typeof itemStateSchema>;

export const adHocItemSchema = z.object({
  phase: z.string().trim().min(1, 'Which phase?').max(200).default('Added during the incident'),
  title: z.string({ error: 'Name the step' }).trim().min(1, 'Name the step').max(300, 'Keep step titles under 300 characters'),
  detail: z.string().trim().max(20_000).default(''),
  command: z.string().trim().max(20_000).nullable().default(null),
});
export type AdHocItemInput = z.input<typeof adHocItemSchema>;

const person = z.object({ email: z.string(), name: z.string() });

export const checklistItemSchema = z
  .object({
    id: z.uuid(),
    phase: z.string(),
    title: z.string(),
    detail: z.string(),
    command: z.string().nullable(),
    expectedOutcome: z.string().nullable(),
    remediationActionId: z.string().nullable(),
    adHoc: z.boolean(),
    /** The runbook marked the step optional. */
    optional: z.boolean(),
    state: z.enum(checklistItemStates),
    by: person.nullable(),
    at: z.iso.datetime().nullable(),
    note: z.string().nullable(),
  })
  .meta({ id: 'ChecklistItem' });
export type ChecklistItemDto = z.infer<typeof checklistItemSchema>;

export const checklistSchema = z
  .object({
    id: z.uuid(),
    runbook: z.object({ id: z.string(), title: z.string(), version: z.number().int() }).nullable(),
    title: z.string(),
    attachedAt: z.iso.datetime(),
    items: z.array(checklistItemSchema),
    progress: z.object({ done: z.number().int(), skipped: z.number().int(), total: z.number().int() }),
  })
  .meta({ id: 'Checklist' });
export type ChecklistDto = z.infer<typeof checklistSchema>;
