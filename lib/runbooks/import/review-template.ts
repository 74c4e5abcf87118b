// A post-incident review template pasted into the runbook importer ("## Summary", "## Root cause",
// "## What went well", "## Action items"…) would become fake runbooks of its sections. It is
// recognised by its headings so the person can be sent to the review-template importer instead.

const REVIEW_SECTIONS: [RegExp, string][] = [
  [/^(?:executive )?summary$|^overview$|^what happened$|^incident summary$|^description$/, 'Summary'],
  [/^(?:customer |business |user )?impact\b/, 'Impact'],
  [/^timeline\b|^chronology\b|^sequence of events\b/, 'Timeline'],
  [/root cause|contributing factors?|^causes?$|^why did it happen/, 'Root cause'],
  [/^resolution\b|^recovery\b|^how (?:it|we) (?:was )?(?:fixed|resolved)/, 'Resolution'],
  [/went well|^what worked/, 'What went well'],
  [/went (?:wrong|badly)|didn.?t go (?:so )?well|could (?:be|have gone) better|could be improved|^where we got lucky/, 'What went wrong'],
  [/^action items?\b|^follow[- ]?ups?\b|^corrective actions?\b|^remediation items?\b/, 'Action items'],
  [/^lessons? learn/, 'Lessons learned'],
  [/^responders\b|^participants\b|^people involved\b/, 'Responders'],
  [/^detection\b|^how (?:was it|we) detected/, 'Detection'],
  [/^messaging\b|^communications?\b/, 'Messaging'],
  [/^how.?d we do/, 'How we did'],
];

const REVIEW_TITLE = /post[- ]?mortem|post[- ]incident review|incident review|retrospective|\bPIR\b|nachbetrachtung|incident report template/i;

/** The review sections found when the document is a review template, else null. */
export function detectReviewTemplate(markdown: string): string[] | null {
  const headings: string[] = [];
  let fence: string | null = null;
  for (const line of markdown.split('\n')) {
    const opening = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence) {
      if (opening && opening[0] === fence[0] && opening.length >= fence.length) fence = null;
      continue;
    }
    if (opening) {
      fence = opening;
      continue;
    }
    const heading = /^ {0,3}(#{1,6})\s+(.+?)\s*#*\s*$/.exec(line);
    if (heading) headings.push(heading[2]!.replace(/[*_`?!:]/g, '').trim().toLowerCase());
  }
  if (headings.length < 3) return null;
  const found = new Set<string>();
  let matched = 0;
  for (const heading of headings) {
    const section = REVIEW_SECTIONS.find(([pattern]) => pattern.test(heading))?.[1];
    if (section) {
      found.add(section);
      matched++;
    }
  }
  const titled = headings.some((heading) => REVIEW_TITLE.test(heading)) || REVIEW_TITLE.test(markdown.slice(0, 2_000));
  // Most headings must be review sections: a runbook has an "Impact" or "Timeline" section too.
  const enough = titled ? found.size >= 4 : found.size >= 5;
  const share = matched / headings.length;
  return enough && share >= (titled ? 0.5 : 0.6) ? [...found] : null;
}
