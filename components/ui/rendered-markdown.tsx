import type { SafeHtml } from '@/lib/platform/markdown/safe-html';

/**
 * Markdown as the server rendered it (lib/platform/markdown): sanitised HTML, so the browser
 * parses no Markdown. Styled in one place, `.sitrep-markdown` in app/globals.css.
 */
export function RenderedMarkdown({ html, className = '' }: { html: SafeHtml; className?: string }) {
  return <div className={`sitrep-markdown ${className}`} dangerouslySetInnerHTML={{ __html: html }} />;
}
