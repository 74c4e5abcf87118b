// Request bodies are read with a limit, counted as they arrive: a body larger than the limit is
// refused (413) by its Content-Length before anything is read, and otherwise (chunked) at the
// byte that crosses it, so no request can make the server hold more than the limit in memory.
// apiRoute reads every operation's body this way; routes that read their own (operations with
// `rawBody`) call readBody/readJsonBody, or readBytes for files. The request edge (edge.ts) also
// refuses a declared Content-Length over the limit before Next reads anything.
import { BadRequestError, formatBytes, PayloadTooLargeError } from '@/lib/platform/errors';

/** What a JSON body may weigh unless its operation says otherwise. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** The request body as bytes (file uploads), refused with 413 above `maxBytes` (`message` says what to do instead). */
export async function readBytes(request: Request, maxBytes: number, message?: string): Promise<Uint8Array> {
  const tooLarge = () => new PayloadTooLargeError(maxBytes, message);
  const declared = request.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > maxBytes) {
    // Not read: the connection is closed after the answer instead of draining a huge body.
    await request.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.byteLength;
    if (length > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return new Uint8Array(Buffer.concat(chunks, length));
}

/** The request body as text, refused with 413 above `maxBytes` (`message` says what to do instead). */
export async function readBody(request: Request, maxBytes: number, message?: string): Promise<string> {
  return Buffer.from(await readBytes(request, maxBytes, message)).toString('utf8');
}

/** apiRoute's reading: the generic 413 message. */
export function readBodyText(request: Request, limit: number): Promise<string> {
  return readBody(request, limit);
}

/** How deeply lists and objects may nest in a JSON body. Sitrep's own payloads nest at most 6 deep. */
export const MAX_JSON_DEPTH = 64;

/**
 * JSON text parsed, refused (400, saying what to fix) when it is not JSON or when it nests lists or
 * objects more than MAX_JSON_DEPTH deep. JSON.parse itself copes with any depth, but whatever walks
 * the result recursively afterwards (validation, messages, Prisma) would overflow the stack: one
 * small body of 100,000 "[" must not cost a 500. The depth is counted in one pass over the text
 * before parsing, outside strings.
 */
export function parseJsonText(text: string): unknown {
  if (text.trim() === '') throw new BadRequestError('The body is empty; send a JSON document.');
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_JSON_DEPTH) throw new BadRequestError(`The body nests lists or objects more than ${MAX_JSON_DEPTH} levels deep; flatten it.`);
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new BadRequestError(`The body is not valid JSON: ${(error as Error).message}`);
  }
}

/** `readBody` parsed as JSON (parseJsonText); 400 naming the problem when it is not JSON. */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  return parseJsonText(await readBody(request, maxBytes, `The body is larger than ${formatBytes(maxBytes)}; send fewer items per request.`));
}
