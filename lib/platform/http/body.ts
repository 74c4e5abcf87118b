// Request bodies read by route handlers themselves (operations with `rawBody`): bounded in size
// before they are buffered, so a sender cannot fill the server's memory.
import { BadRequestError, PayloadTooLargeError } from '@/lib/platform/errors';

const sizeText = (bytes: number) => (bytes >= 1_048_576 ? `${bytes / 1_048_576} MiB` : `${Math.round(bytes / 1024)} KiB`);

/**
 * The request body as text, refused with 413 above `maxBytes`: by its Content-Length before
 * anything is read, and while reading when it has none (chunked), so an endless body is cut off
 * at the limit instead of filling memory.
 */
export async function readBody(request: Request, maxBytes: number): Promise<string> {
  const tooLarge = () => new PayloadTooLargeError(`The body is larger than ${sizeText(maxBytes)}; send fewer items per request.`);
  const declared = request.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > maxBytes) {
    // Not read: the connection is closed after the answer instead of draining a huge body.
    await request.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (!request.body) return '';
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
  return Buffer.concat(chunks, length).toString('utf8');
}

/** `readBody` parsed as JSON; 400 naming the problem when it is not JSON. */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const text = await readBody(request, maxBytes);
  if (text.trim() === '') throw new BadRequestError('The body is empty; send a JSON document.');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new BadRequestError(`The body is not valid JSON: ${(error as Error).message}`);
  }
}
