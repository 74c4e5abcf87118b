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

/** `readBody` parsed as JSON; 400 naming the problem when it is not JSON. */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const text = await readBody(request, maxBytes, `The body is larger than ${formatBytes(maxBytes)}; send fewer items per request.`);
  if (text.trim() === '') throw new BadRequestError('The body is empty; send a JSON document.');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new BadRequestError(`The body is not valid JSON: ${(error as Error).message}`);
  }
}
