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
