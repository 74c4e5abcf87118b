// The import request and answer (API and server actions) and how a parsed runbook becomes
// a runbook draft.
import { z } from 'zod';
import { parseInput, ValidationError } from '@/lib/platform/errors';
import type { ImportedRunbook, ImportWarning } from '@/lib/runbooks/import';
import { runbookInputSchema, type RunbookInput } from '@/lib/runbooks/schema';

export const MAX_IMPORT_BYTES = 1_000_000;

export const runbookImportSchema = z.object({
  markdown: z
    .string({ error: 'Send the playbook as `markdown` (a string of Markdown)' })
    .refine((value) => value.trim().length > 0, 'The Markdown is empty: paste a playbook or choose a file')
    .refine((value) => Buffer.byteLength(value) <= MAX_IMPORT_BYTES, 'Import at most 1 MB of Markdown at a time; split the file by section'),
  title: z.string().trim().max(200, 'Keep the title under 200 characters').optional(),
  dryRun: z.boolean({ error: 'dryRun is true or false' }).default(false),
  redact: z.boolean({ error: 'redact is true or false' }).default(false),
});
export type RunbookImportInput = z.input<typeof runbookImportSchema>;

export const importWarningSchema = z.object({
  kind: z.enum(['secret', 'encoding', 'structure', 'review_template']),
  line: z.number().int().nullable(),
  message: z.string(),
});

export const runbookImportResultSchema = z
  .object({
    runbooks: z.array(runbookInputSchema.extend({ id: z.uuid().nullable() })),
    warnings: z.array(importWarningSchema),
  })
  .meta({ id: 'RunbookImport' });
export type RunbookDraft = z.output<typeof runbookInputSchema>;
export type RunbookImportResult = { runbooks: (RunbookDraft & { id: string | null })[]; warnings: ImportWarning[] };

export function importedToInput(runbook: ImportedRunbook, documentTitle: string): RunbookDraft {
  const input: RunbookInput = {
    title: runbook.title,
    description: runbook.description,
    tags: ['imported', ...runbook.tags],
    services: [],
    severities: runbook.severities,
    phases: runbook.phases.map((phase) => ({
      title: phase.title,
      timeBudget: phase.timeBudget,
      steps: phase.steps.map((step) => ({ title: step.title, detail: step.detail, command: step.command, expectedOutcome: null, remediationActionId: null })),
    })),
    references: runbook.references,
    changeNote: `Imported from “${documentTitle}”`.slice(0, 500),
  };
  // The reader keeps within the schema's limits, but a heading can still be too short to name a
  // runbook ("# T", or "# 🚨" once the emoji is gone): a 422 that says which, not a 500.
  if (!runbookInputSchema.shape.title.safeParse(input.title).success) {
    throw new ValidationError([
      { path: 'markdown', message: `The heading “${runbook.title}” is too short to name a runbook (at least 2 characters, not counting emoji); rename it, or send a longer \`title\`` },
    ]);
  }
  return parseInput(runbookInputSchema, input);
}
