import { attachmentSchema } from '@/lib/attachments/schema';
import { z } from 'zod';
import { safeHtmlSchema } from '@/lib/platform/markdown/safe-html';

export const postmortemStatuses = ['draft', 'in_review', 'published'] as const;
export type PostmortemStatus = (typeof postmortemStatuses)[number];

export const sectionSaveSchema = z.object({
  body: z.string({ error: 'body is the section’s Markdown text' }).max(100_000, 'Keep a section under 100,000 characters'),
});

export const statusChangeSchema = z.object({
  status: z.enum(postmortemStatuses, { error: 'status is draft, in_review or published' }),
});

const dueDate = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Give the due date as YYYY-MM-DD, e.g. 2026-12-01')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), 'That date does not exist; use YYYY-MM-DD');

const ticketUrl = z
  .string()
  .trim()
  .max(2_000)
  .refine((s) => /^https?:\/\/\S+$/i.test(s), 'The ticket link is an http(s) URL, e.g. https://jira.example.com/browse/OPS-12');

export const actionItemInputSchema = z.object({
  title: z.string({ error: 'Give the action item a title' }).trim().min(3, 'Give the action item a title of at least 3 characters').max(300, 'Keep the title under 300 characters'),
  ownerEmail: z.email({ error: 'ownerEmail is the e-mail of a Sitrep user' }).optional(),
  dueDate: dueDate.optional(),
  url: ticketUrl.optional(),
});
export type ActionItemInput = z.input<typeof actionItemInputSchema>;

export const actionItemPatchSchema = z.object({
  status: z.enum(['open', 'done'], { error: 'status is open or done' }).optional(),
  title: actionItemInputSchema.shape.title.optional(),
  ownerEmail: z.email({ error: 'ownerEmail is the e-mail of a Sitrep user' }).nullable().optional(),
  dueDate: dueDate.nullable().optional(),
  url: ticketUrl.nullable().optional(),
});
export type ActionItemPatch = z.input<typeof actionItemPatchSchema>;

export const actionItemSchema = z
  .object({
    id: z.uuid(),
    incident: z.object({ number: z.number().int(), key: z.string(), title: z.string() }),
    title: z.string(),
    owner: z.object({ email: z.string(), name: z.string() }).nullable(),
    dueDate: z.string().nullable(),
    status: z.enum(['open', 'done']),
    url: z.string().nullable(),
    overdue: z.boolean(),
    createdAt: z.iso.datetime(),
    completedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'ActionItem' });
export type ActionItemDto = z.infer<typeof actionItemSchema>;

export const sectionSchema = z.object({
  key: z.string(),
  title: z.string(),
  body: z.string(),
  bodyHtml: safeHtmlSchema.describe('The body rendered to sanitised HTML'),
  prompt: z.string().nullable().describe('What to write here; shown as a placeholder, never part of the text'),
  edited: z.boolean(),
  generated: z.boolean(),
  /** The document version in which this section last changed. */
  changedInVersion: z.number().int(),
  updatedAt: z.iso.datetime(),
  updatedBy: z.object({ email: z.string(), name: z.string() }).nullable(),
});
export type SectionDto = z.infer<typeof sectionSchema>;

export const postmortemSchema = z
  .object({
    id: z.uuid(),
    incident: z.object({ number: z.number().int(), key: z.string(), title: z.string(), status: z.string() }),
    status: z.enum(postmortemStatuses),
    version: z.number().int(),
    sections: z.array(sectionSchema),
    actionItems: z.array(actionItemSchema),
    /** The incident's screenshots and files (pasted into notes), kept with the review and listed at the end of its export. */
    attachments: z.array(attachmentSchema),
    markdown: z.string(),
    /** What publishing would warn about (`empty`) or refuse for (`missing`, when the severity requires a review). */
    gaps: z.object({ empty: z.array(z.string()), missing: z.array(z.string()), reviewRequired: z.boolean() }),
    createdAt: z.iso.datetime(),
    publishedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Postmortem' });
export type PostmortemDto = z.infer<typeof postmortemSchema>;

export const revisionSchema = z.object({ id: z.uuid(), version: z.number().int(), body: z.string(), author: z.object({ email: z.string(), name: z.string() }).nullable(), createdAt: z.iso.datetime() });
export type RevisionDto = z.infer<typeof revisionSchema>;

// Admin-defined review templates (templates.ts).
export const reviewTemplateInputSchema = z.object({
  name: z.string({ error: 'Give the template a name' }).trim().min(2, 'Give the template a name').max(80, 'Keep the name under 80 characters'),
  markdown: z.string({ error: 'Paste the template' }).max(50_000, 'Keep a template under 50,000 characters'),
  severities: z.array(z.string().trim().toUpperCase().regex(/^SEV\d+$/, 'Severities look like SEV1')).default([]),
});
export type ReviewTemplateInput = z.input<typeof reviewTemplateInputSchema>;

export const reviewTemplateSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    markdown: z.string(),
    severities: z.array(z.string()),
    /** The text before the first section: instructions kept for the people writing the review. */
    guidance: z.string(),
    sections: z.array(z.object({ key: z.string(), title: z.string(), generated: z.boolean(), prompt: z.string().nullable() })),
    version: z.number().int(),
  })
  .meta({ id: 'ReviewTemplate' });
export type ReviewTemplateDto = z.infer<typeof reviewTemplateSchema>;
