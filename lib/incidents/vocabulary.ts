// The incident's words that screens show: roles, key times and why someone is a member. Kept out
// of schema.ts, so client components that show them do not take zod and every schema with them
// (about 45 KB of JavaScript, gzipped); schema.ts builds its validation on these.

export const incidentRoles = ['commander', 'tech_lead', 'comms_lead', 'scribe'] as const;
export type IncidentRole = (typeof incidentRoles)[number];
export const roleLabels: Record<IncidentRole, string> = {
  commander: 'Incident Commander',
  tech_lead: 'Tech Lead',
  comms_lead: 'Communications Lead',
  scribe: 'Scribe',
};

export const keyTimeFields = ['startedAt', 'detectedAt', 'acknowledgedAt', 'mitigatedAt', 'resolvedAt', 'closedAt'] as const;
export type KeyTimeField = (typeof keyTimeFields)[number];
export const keyTimeLabels: Record<KeyTimeField | 'declaredAt', string> = {
  startedAt: 'Started',
  detectedAt: 'Detected',
  declaredAt: 'Declared',
  acknowledgedAt: 'Acknowledged',
  mitigatedAt: 'Mitigated',
  resolvedAt: 'Resolved',
  closedAt: 'Closed',
};

/** Why someone is a member of an incident; `added` is the only reason that can be taken away directly. */
export const memberReasons = ['declarer', ...incidentRoles, 'sme', 'added'] as const;
export type MemberReason = (typeof memberReasons)[number];
export const memberReasonLabels: Record<MemberReason, string> = {
  declarer: 'declared it',
  ...roleLabels,
  sme: 'Subject-matter expert',
  added: 'added',
};
