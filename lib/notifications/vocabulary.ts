// Notification words that screens show: events and channel kinds. Apart from schema.ts, so the
// channel editor does not take zod into the page.

export const notificationEvents = ['declared', 'severity_raised', 'status_changed', 'update_posted', 'update_overdue', 'resolved'] as const;
export type NotificationEvent = (typeof notificationEvents)[number];

/** How an event is named on screens and on the timeline ("Notified Slack “#incidents” (declared)"). */
export const eventLabels: Record<NotificationEvent, string> = {
  declared: 'declared',
  severity_raised: 'severity raised',
  status_changed: 'status changed',
  update_posted: 'update posted',
  update_overdue: 'update overdue',
  resolved: 'resolved',
};

/** What a settings checkbox says about each event. */
export const eventDescriptions: Record<NotificationEvent, string> = {
  declared: 'An incident is declared',
  severity_raised: 'The severity becomes more severe (e.g. SEV3 → SEV1)',
  status_changed: 'The status changes (including reopening)',
  update_posted: 'A status update is posted (internal or public)',
  update_overdue: 'A status update is overdue',
  resolved: 'The incident is resolved',
};

export const channelKinds = ['slack', 'teams', 'webhook', 'email'] as const;
export type ChannelKind = (typeof channelKinds)[number];

export const kindLabels: Record<ChannelKind, string> = {
  slack: 'Slack',
  teams: 'Teams',
  webhook: 'webhook',
  email: 'e-mail',
};

export const kindNames: Record<ChannelKind, string> = {
  slack: 'Slack (incoming webhook)',
  teams: 'Microsoft Teams (incoming webhook)',
  webhook: 'Webhook (JSON)',
  email: 'E-mail',
};
