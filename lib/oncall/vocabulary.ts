// On-call words that screens show: days and contact method kinds. Apart from schema.ts, so the
// schedule editor and the contact methods form do not take zod and luxon into the page.

export const weekdays = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof weekdays)[number];
export const shortWeekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type ShortWeekday = (typeof shortWeekdays)[number];

export const contactKinds = ['email', 'ntfy', 'slack', 'teams', 'mattermost', 'webhook'] as const;
export type ContactKind = (typeof contactKinds)[number];

export const contactKindNames: Record<ContactKind, string> = {
  email: 'E-mail',
  ntfy: 'ntfy push',
  slack: 'Slack (incoming webhook)',
  teams: 'Microsoft Teams (incoming webhook)',
  mattermost: 'Mattermost (incoming webhook)',
  webhook: 'Webhook (signed, e.g. an SMS or voice gateway)',
};
