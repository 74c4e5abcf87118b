import { BadRequestError, PreconditionRequiredError } from '@/lib/platform/errors';

/** A strong ETag for a version number. */
export function etag(version: number): string {
  return `"${version}"`;
}

/**
 * The version an `If-Match` header names; undefined when absent, or `*` ("any version") where
 * the header is optional. 428 when required and missing; 400 when it names no version.
 */
export function ifMatchVersion(request: Request, options: { required: boolean; what: string }): number | undefined {
  const header = request.headers.get('if-match');
  const example = `If-Match: "7" with the version of the ${options.what} you edited (its ETag)`;
  if (header === null) {
    if (options.required) throw new PreconditionRequiredError(`Send ${example}.`);
    return undefined;
  }
  if (header.trim() === '*' && !options.required) return undefined;
  const match = /^\s*"?(\d{1,9})"?\s*$/.exec(header);
  if (!match) {
    const why = /^\s*W\//.test(header) ? ' A weak ETag (W/…) never matches; send the strong one.' : '';
    throw new BadRequestError(`If-Match must name one version, e.g. ${example}; got ${header.slice(0, 40)}.${why}`);
  }
  return Number(match[1]);
}
