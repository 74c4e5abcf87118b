// The runbook importer: clean-up, bounds, secret scan, optional redaction, then the Markdown
// reader. Pure (no database): the API, the preview and the CLI run it on a worker thread
// (pool.ts) so a slow document never holds the request thread.
import { boundMarkdown } from './bounds';
import { repairMojibake } from './clean';
import { parseMarkdownRunbooks, type ImportedRunbook } from './parse';
import { detectReviewTemplate } from './review-template';
import { findSecrets, redactSecrets } from './secrets';

export type { ImportedPhase, ImportedRunbook, ImportedStep } from './parse';

export type ImportWarning = { kind: 'secret' | 'encoding' | 'structure' | 'review_template'; line: number | null; message: string };

export type ImportResult = { documentTitle: string; runbooks: ImportedRunbook[]; warnings: ImportWarning[] };

export type ImportOptions = {
  /** Names the document (and the runbook, when it holds one) instead of its first heading. */
  title?: string;
  /** Replace found secrets with [REDACTED] before reading the runbooks. */
  redact?: boolean;
};

export async function importRunbookMarkdown(markdown: string, options: ImportOptions = {}): Promise<ImportResult> {
  const normalized = markdown.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const { text: repaired, repaired: count } = repairMojibake(normalized);
  const secrets = await findSecrets(repaired);
  const text = boundMarkdown(options.redact ? redactSecrets(repaired, secrets) : repaired);

  const warnings: ImportWarning[] = secrets.map((secret) => ({
    kind: 'secret',
    line: secret.line,
    message: options.redact
      ? `${secret.message} on line ${secret.line} was replaced with [REDACTED].`
      : `${secret.message} on line ${secret.line}. Redact it before saving, and rotate it if this file was shared.`,
  }));
  if (count > 0) {
    warnings.push({ kind: 'encoding', line: null, message: `Repaired ${count} character${count === 1 ? '' : 's'} garbled by a Windows-1252 round trip (e.g. “ðŸš¨” → “🚨”).` });
  }

  // A post-mortem template is not a runbook: reading it as one makes fake runbooks of its sections.
  const review = detectReviewTemplate(text);
  if (review) {
    warnings.push({
      kind: 'review_template',
      line: null,
      message: `This looks like a post-incident review template (sections ${review.join(', ')}), not a runbook. Import it in Settings → Reviews as a review template instead.`,
    });
    return { documentTitle: options.title?.trim() || 'Review template', runbooks: [], warnings };
  }

  const { runbooks, documentTitle } = parseMarkdownRunbooks(text, { title: options.title });
  if (options.title?.trim() && runbooks.length === 1) runbooks[0]!.title = options.title.trim();
  if (runbooks.length === 0) {
    warnings.push({
      kind: 'structure',
      line: null,
      message: 'No steps found. Write steps as numbered, bulleted or task lists, as code blocks under a heading, or as `# 1. …` comments inside a code block.',
    });
  }
  return { documentTitle, runbooks, warnings };
}
