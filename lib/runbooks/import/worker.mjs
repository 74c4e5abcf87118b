// The importer's worker thread (see pool.ts). Plain JavaScript so Node can start it without a
// bundler; it loads the TypeScript importer through tsx, which `npm start`, the CLI and the tests
// already depend on. Nothing here touches the database: the worker only reads Markdown.
import { register } from 'tsx/esm/api';

register();
const { importRunbookMarkdown } = await import(new URL('./index.ts', import.meta.url).href);

/** @param {{ markdown: string, options: { title?: string, redact?: boolean } }} task */
export default async function readMarkdown({ markdown, options }) {
  return importRunbookMarkdown(markdown, options);
}
