// A request body read as bytes by a route handler itself (file uploads), bounded before it is
// buffered: refused by its Content-Length before anything is read, and cut off while reading
// when it has none (chunked), so a sender can't fill the server's memory.
import 'server-only';
import { DomainError } from '@/lib/platform/errors';

export class BodyTooLargeError extends DomainError {
  constructor(maxBytes: number) {
    super(413, 'Payload too large', `The body is larger than ${maxBytes / 1_048_576} MiB.`);
  }
}

export async function readBytes(request: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = request.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > maxBytes) {
    await request.body?.cancel().catch(() => undefined);
    throw new BodyTooLargeError(maxBytes);
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
      throw new BodyTooLargeError(maxBytes);
    }
    chunks.push(value);
  }
  return new Uint8Array(Buffer.concat(chunks, length));
}
