// Apart from schema.ts, so the composer checks a file's size without taking zod into the page.
/** The largest file kept: a full-screen screenshot is well under it; a log archive is not what this is for. */
export const MAX_ATTACHMENT_BYTES = 8 * 1024 * 1024;
