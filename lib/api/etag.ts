import { BadRequestError, PreconditionRequiredError } from '@/lib/errors';

/** A strong ETag for a version number. */
export function etag(version: number): string {
  return `"${version}"`;
}

/** The version an `If-Match` header names; undefined when absent (428 when required). */
export function ifMatchVersion(request: Request, options: { required: boolean; what: string }): number | undefined {
  const header = request.headers.get('if-match');
  if (header === null) {
    if (options.required) throw new PreconditionRequiredError(`Send If-Match: "<version>" with the version of the ${options.what} you edited (its ETag).`);
    return undefined;
  }
  const match = /^\s*"?(\d{1,9})"?\s*$/.exec(header);
  if (!match) throw new BadRequestError(`If-Match must be a version in quotes, e.g. If-Match: "7"; got ${header.slice(0, 40)}.`);
  return Number(match[1]);
}
