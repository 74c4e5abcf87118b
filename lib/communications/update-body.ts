import { renderMarkdown } from '@/lib/platform/markdown/render';
import type { SafeHtml } from '@/lib/platform/markdown/safe-html';

/**
 * A status update as people read it (command view, /status): Markdown with every line break
 * kept, because updates and their templates are written line by line like an e-mail.
 */
export function renderUpdateBody(body: string): SafeHtml {
  return renderMarkdown(body, { hardBreaks: true });
}
