// The runbook importer: clean-up, secret scan, optional redaction, then the Markdown reader.
import { ValidationError } from '@/lib/platform/errors';
import { repairMojibake } from './clean';
import { parseMarkdownRunbooks, type ImportedRunbook } from './parse';
import { findSecrets, redactSecrets } from './secrets';

export type { ImportedPhase, ImportedRunbook, ImportedStep } from './parse';

export type ImportWarning = { kind: 'secret' | 'encoding' | 'structure'; line: number | null; message: string };

export type ImportResult = { documentTitle: string; runbooks: ImportedRunbook[]; warnings: ImportWarning[] };

export type ImportOptions = {
  /** Names the document (and the runbook, when it holds one) instead of its first heading. */
  title?: string;
  /** Replace found secrets with [REDACTED] before reading the runbooks. */
  redact?: boolean;
};

// Quote and list markers opening one line ("> > - > …"). The Markdown reader recurses once per
// level, so tens of thousands of them (a few hundred kB) overflow its stack; no playbook needs 50.
const MAX_NESTING = 50;
const CONTAINER_PREFIX = /^(?:[ \t]*(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t])))+/;
const CONTAINER_MARKER = />|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t])/g;

function refuseDeepNesting(text: string): void {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const prefix = CONTAINER_PREFIX.exec(lines[i]!)?.[0];
    const depth = prefix ? (prefix.match(CONTAINER_MARKER)?.length ?? 0) : 0;
    if (depth > MAX_NESTING) {
      throw new ValidationError([{ path: 'markdown', message: `Line ${i + 1} nests ${depth} quotes or lists; Sitrep reads at most ${MAX_NESTING} levels. Flatten that part of the Markdown.` }]);
    }
  }
}

export function importRunbookMarkdown(markdown: string, options: ImportOptions = {}): ImportResult {
  const normalized = markdown.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  refuseDeepNesting(normalized);
  const { text: repaired, repaired: count } = repairMojibake(normalized);
  const secrets = findSecrets(repaired);
  const text = options.redact ? redactSecrets(repaired, secrets) : repaired;
  const { runbooks, documentTitle } = parseMarkdownRunbooks(text, { title: options.title });
  if (options.title?.trim() && runbooks.length === 1) runbooks[0]!.title = options.title.trim();

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
  if (runbooks.length === 0) {
    warnings.push({
      kind: 'structure',
      line: null,
      message: 'No steps found. Write steps as numbered, bulleted or task lists, as code blocks under a heading, or as `# 1. …` comments inside a code block.',
    });
  }
  return { documentTitle, runbooks, warnings };
}
