// The kinds of timeline event, apart from schema.ts so the timeline's client components show
// them without taking zod into the page's JavaScript.
export const timelineKinds = ['note', 'status', 'severity', 'role', 'checklist', 'remediation', 'communication', 'postmortem', 'page', 'alert', 'system'] as const;
export type TimelineKind = (typeof timelineKinds)[number];
