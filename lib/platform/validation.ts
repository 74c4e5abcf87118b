// Validation that reports everything wrong at once. Two things stop zod from doing so:
//  - an object-level check (a rule across fields) is skipped when any field already failed, so
//    `{title: "", startedAt: <after detectedAt>}` would mention the title only; `whenFieldsValid`
//    runs such a check whenever the fields it reads are valid, whatever the others say;
//  - a rule that needs the database (does this severity exist?) would run after the schema passed,
//    so its complaint came on the next try; written as an async refinement of the field, it runs
//    with all the others. apiRoute and defineAction parse asynchronously for that reason.
import type { core } from 'zod';

/**
 * A `when` for object-level checks: run if the value is an object and none of `fields` has an
 * issue yet. (A body that isn't an object at all has an issue with an empty path: the check must
 * not run on it, since it reads fields that aren't there.)
 */
export function whenFieldsValid(...fields: string[]): (payload: core.ParsePayload) => boolean {
  return (payload) =>
    typeof payload.value === 'object' &&
    payload.value !== null &&
    !payload.issues.some((issue) => !issue.path?.length || fields.includes(String(issue.path[0])));
}

/**
 * A sent value as error messages quote it: a string as written (cut at 60 characters), a number or
 * boolean as itself, anything else by its kind ("a list", "an object"). Never serialises a whole
 * value: `String()` of a list 10,000 levels deep overflows the stack, and a 1 MB string would be
 * echoed back whole.
 */
export function shown(value: unknown): string {
  if (typeof value === 'string') return value.length > 60 ? `${value.slice(0, 60)}…` : value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** What `storableTime` refuses, for a schema's message. */
export const STORABLE_TIME_MESSAGE = 'Use a time between the years 0001 and 9999 (PostgreSQL has no year 0000)';

/**
 * Whether PostgreSQL can store a time that parsed as ISO-8601: JavaScript reads the year 0000 (and
 * 0001-01-01 with a positive offset, which is year 0000 in UTC), but PostgreSQL has no year 0 and
 * would refuse it deep in a query with a 500.
 */
export function storableTime(value: string): boolean {
  const year = new Date(value).getUTCFullYear();
  // A value that is no time at all is the format check's to report, in its own words.
  return !Number.isFinite(year) || (year >= 1 && year <= 9999);
}
