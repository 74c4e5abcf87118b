import { z } from 'zod';

/**
 * HTML that came out of `renderMarkdown` (render.ts): the only kind a page may put in with
 * dangerouslySetInnerHTML. The brand survives DTOs and their zod schemas, so a raw string can't
 * reach `RenderedMarkdown` by mistake. Only zod here: client code and API schemas import it.
 */
export const safeHtmlSchema = z.string().brand<'SafeHtml'>();
export type SafeHtml = z.infer<typeof safeHtmlSchema>;
