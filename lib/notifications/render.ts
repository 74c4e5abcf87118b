// What a notification says, per channel kind: Slack incoming-webhook JSON (mrkdwn), a Microsoft
// Teams Adaptive Card, Sitrep's own JSON for generic webhooks, and a plain-text e-mail. Pure
// functions: a notification is rendered once, when it is created, and stored as sent.
import { statusLabels, type IncidentStatus } from '@/lib/incidents/lifecycle';
import type { ChannelKind, NotificationDetail, NotificationEvent } from '@/lib/notifications/schema';
import { formatClock } from '@/lib/platform/time';

export type IncidentFacts = {
  number: number;
  key: string;
  title: string;
  /** Shown with the declaration only. */
  summary?: string;
  severity: string;
  status: string;
  services: string[];
  /** Absolute when SITREP_URL is set; a relative path otherwise (then nothing links to it). */
  url: string;
};

export type IncidentMessage = {
  /** The notification's id: generic webhook receivers dedupe on it. */
  id: string;
  event: NotificationEvent;
  incident: IncidentFacts;
  detail: NotificationDetail;
  occurredAt: string;
  /** The channel's name, for the e-mail footer. */
  channel: string;
};

/** "Send test" from the settings page. */
export type TestMessage = { id: string; event: 'test'; channel: string; occurredAt: string; settingsUrl: string };

/** Which events a private incident is announced for at all: its existence and how grave it is, nothing of what it is about. */
export const privateIncidentEvents = ['declared', 'severity_raised', 'resolved'] as const satisfies readonly NotificationEvent[];

/**
 * A private incident's announcement on a shared channel: that one was declared, raised or
 * resolved, and its severity; never its number, title, summary, services, people or updates,
 * which only its members and admins see in Sitrep.
 */
export type PrivateIncidentMessage = {
  id: string;
  event: (typeof privateIncidentEvents)[number];
  private: true;
  severity: string;
  previousSeverity?: string;
  occurredAt: string;
  channel: string;
  /** Sitrep itself (not the incident): absolute when SITREP_URL is set. */
  sitrepUrl: string;
};

export type Message = IncidentMessage | TestMessage | PrivateIncidentMessage;

function isPrivate(message: Message): message is PrivateIncidentMessage {
  return 'private' in message;
}

const PRIVATE_NOTE = 'Its details are visible only to its members and admins in Sitrep.';

/** "A private incident was declared", "…was raised to SEV1 (was SEV3)", "…was resolved". */
function privateHeadline(message: PrivateIncidentMessage): string {
  switch (message.event) {
    case 'declared':
      return 'A private incident was declared';
    case 'severity_raised':
      return `A private incident was raised to ${message.severity}${message.previousSeverity ? ` (was ${message.previousSeverity})` : ''}`;
    case 'resolved':
      return 'A private incident was resolved';
  }
}

export type Rendered = { subject: string; body: string };

const SLACK_TEXT_LIMIT = 2_800; // a section's text may hold 3,000 characters
const SUMMARY_LIMIT = 600;

function truncate(text: string, limit: number): string {
  return text.length > limit ? `${text.slice(0, limit - 1).trimEnd()}…` : text;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function statusLabel(status: string): string {
  return statusLabels[status as IncidentStatus] ?? status;
}

function isAbsolute(url: string): boolean {
  return /^https?:\/\//i.test(url);
}

function utcTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : formatClock(date);
}

/** What happened, after the incident's key: "declared", "raised to SEV1 (was SEV3)"… */
function happened(message: IncidentMessage): string {
  const { incident, detail } = message;
  switch (message.event) {
    case 'declared':
      return 'declared';
    case 'severity_raised':
      return `raised to ${incident.severity}${detail.previousSeverity ? ` (was ${detail.previousSeverity})` : ''}`;
    case 'status_changed':
      return `is now ${statusLabel(incident.status)}${detail.previousStatus ? ` (was ${statusLabel(detail.previousStatus)})` : ''}`;
    case 'resolved':
      return 'resolved';
    case 'update_posted':
      return detail.update?.audience === 'public' ? 'has a new public update' : 'has a new internal update';
    case 'update_overdue':
      return detail.dueAt ? `status update overdue since ${utcTime(detail.dueAt)}` : 'status update overdue';
  }
}

/** "INC-42 declared: Checkout down" */
export function headline(message: IncidentMessage): string {
  return `${message.incident.key} ${happened(message)}: ${oneLine(message.incident.title)}`;
}

/** "[SEV1] INC-42 declared: Checkout down" */
export function subjectLine(message: Message): string {
  if (message.event === 'test') return `[Sitrep] Test notification for “${oneLine(message.channel)}”`;
  if (isPrivate(message)) return `[${message.severity}] ${privateHeadline(message)}`;
  return `[${message.incident.severity}] ${headline(message)}`;
}

function facts(incident: IncidentFacts): { title: string; value: string }[] {
  return [
    { title: 'Severity', value: incident.severity },
    { title: 'Status', value: statusLabel(incident.status) },
    { title: 'Services', value: incident.services.length ? incident.services.join(', ') : 'none named' },
  ];
}

/** Text lines beyond the facts: the update, the summary, who is reminded. */
function details(message: IncidentMessage): { label: string; text: string }[] {
  const { event, detail, incident } = message;
  const out: { label: string; text: string }[] = [];
  if (event === 'declared' && incident.summary?.trim()) out.push({ label: 'Summary', text: truncate(incident.summary.trim(), SUMMARY_LIMIT) });
  if (detail.update) out.push({ label: detail.update.audience === 'public' ? 'Public update (status page)' : 'Internal update', text: detail.update.body.trim() });
  if (event === 'update_overdue') {
    const lead = detail.communicationsLead;
    out.push({ label: 'Reminder', text: lead ? `${lead.name} (${lead.email}) is to post the next update.` : 'Nobody holds the Communications Lead or Incident Commander role.' });
  }
  return out;
}

const TEST_TEXT = 'This is a test notification from Sitrep. If you can read it, incident notifications will reach this channel.';

// ---- Slack ----

/** Slack's escaping for text: only &, < and > are control characters (https://api.slack.com/reference/surfaces/formatting). */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function slackLink(url: string, label: string): string {
  return isAbsolute(url) ? `<${escapeSlack(url)}|${escapeSlack(label)}>` : escapeSlack(label);
}

function quoteSlack(text: string): string {
  return escapeSlack(truncate(text, SLACK_TEXT_LIMIT))
    .split('\n')
    .map((line) => `>${line}`)
    .join('\n');
}

export function renderSlack(message: Message): object {
  if (message.event === 'test') {
    const text = `${TEST_TEXT} (Channel “${message.channel}”.)`;
    return {
      text: escapeSlack(text),
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: `*Test notification from Sitrep* for “${escapeSlack(message.channel)}”` } },
        { type: 'section', text: { type: 'mrkdwn', text: escapeSlack(TEST_TEXT) } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: `Sent from ${slackLink(message.settingsUrl, 'Settings → Notifications')}` }] },
      ],
    };
  }
  if (isPrivate(message)) {
    return {
      text: escapeSlack(subjectLine(message)),
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: `*${escapeSlack(privateHeadline(message))}* (${escapeSlack(message.severity)})` } },
        { type: 'section', text: { type: 'mrkdwn', text: escapeSlack(PRIVATE_NOTE) } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: isAbsolute(message.sitrepUrl) ? slackLink(message.sitrepUrl, 'Open Sitrep') : 'Sitrep' }] },
      ],
    };
  }
  const { incident } = message;
  const blocks: object[] = [
    {
      type: 'section',
      text: { type: 'mrkdwn', text: `*${slackLink(incident.url, incident.key)} ${escapeSlack(happened(message))}*: ${escapeSlack(oneLine(incident.title))}` },
    },
    { type: 'section', fields: facts(incident).map((fact) => ({ type: 'mrkdwn', text: `*${fact.title}*\n${escapeSlack(truncate(fact.value, 1_900))}` })) },
  ];
  for (const line of details(message)) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*${escapeSlack(line.label)}*\n${quoteSlack(line.text)}` } });
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: isAbsolute(incident.url) ? `Sitrep · ${slackLink(incident.url, `Open ${incident.key}`)}` : 'Sitrep' }] });
  return { text: escapeSlack(subjectLine(message)), blocks };
}

// ---- Microsoft Teams ----

function adaptiveCard(body: object[], url: string, linkTitle: string): object {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          msteams: { width: 'Full' },
          body,
          // Teams refuses a card whose OpenUrl is not absolute: without SITREP_URL there is no button.
          actions: isAbsolute(url) ? [{ type: 'Action.OpenUrl', title: linkTitle, url }] : [],
        },
      },
    ],
  };
}

export function renderTeams(message: Message): object {
  if (message.event === 'test') {
    return adaptiveCard(
      [
        { type: 'TextBlock', text: `Test notification for “${message.channel}”`, weight: 'Bolder', size: 'Medium', wrap: true },
        { type: 'TextBlock', text: TEST_TEXT, wrap: true },
      ],
      message.settingsUrl,
      'Open Settings → Notifications',
    );
  }
  if (isPrivate(message)) {
    return adaptiveCard(
      [
        { type: 'TextBlock', text: privateHeadline(message), weight: 'Bolder', size: 'Medium', wrap: true, color: message.event === 'resolved' ? 'Good' : 'Attention' },
        { type: 'FactSet', facts: [{ title: 'Severity', value: message.severity }] },
        { type: 'TextBlock', text: PRIVATE_NOTE, wrap: true },
      ],
      message.sitrepUrl,
      'Open Sitrep',
    );
  }
  const { incident } = message;
  const urgent = message.event === 'declared' || message.event === 'severity_raised' || message.event === 'update_overdue';
  const body: object[] = [
    { type: 'TextBlock', text: `${incident.key} ${happened(message)}`, weight: 'Bolder', size: 'Medium', wrap: true, color: message.event === 'resolved' ? 'Good' : urgent ? 'Attention' : 'Default' },
    { type: 'TextBlock', text: oneLine(incident.title), wrap: true },
    { type: 'FactSet', facts: facts(incident) },
  ];
  for (const line of details(message)) {
    body.push({ type: 'TextBlock', text: line.label, weight: 'Bolder', spacing: 'Medium', wrap: true }, { type: 'TextBlock', text: line.text, wrap: true });
  }
  return adaptiveCard(body, incident.url, `Open ${incident.key}`);
}

// ---- Generic webhook ----

export function renderWebhook(message: Message): object {
  if (message.event === 'test') return { id: message.id, type: 'test', channel: message.channel, message: TEST_TEXT, occurredAt: message.occurredAt };
  if (isPrivate(message)) {
    return {
      id: message.id,
      type: `incident.${message.event}`,
      incident: { private: true, severity: message.severity },
      ...(message.previousSeverity ? { previousSeverity: message.previousSeverity } : {}),
      occurredAt: message.occurredAt,
    };
  }
  const { incident, detail } = message;
  return {
    id: message.id,
    type: `incident.${message.event}`,
    incident: { number: incident.number, key: incident.key, title: incident.title, severity: incident.severity, status: incident.status, services: incident.services, url: incident.url },
    ...(detail.update ? { update: { audience: detail.update.audience, body: detail.update.body } } : {}),
    ...(detail.previousSeverity ? { previousSeverity: detail.previousSeverity } : {}),
    ...(detail.previousStatus ? { previousStatus: detail.previousStatus } : {}),
    ...(detail.dueAt ? { dueAt: detail.dueAt } : {}),
    ...(detail.communicationsLead !== undefined ? { communicationsLead: detail.communicationsLead } : {}),
    occurredAt: message.occurredAt,
  };
}

// ---- E-mail ----

export function renderEmail(message: Message): Rendered {
  const subject = subjectLine(message);
  if (message.event === 'test') {
    return { subject, body: `${TEST_TEXT}\n\nChannel: “${message.channel}”\nSettings: ${message.settingsUrl}\n\n-- \nSitrep\n` };
  }
  if (isPrivate(message)) {
    const url = isAbsolute(message.sitrepUrl) ? ['', `Sitrep: ${message.sitrepUrl}`] : [];
    return { subject, body: [`${privateHeadline(message)}.`, '', `Severity: ${message.severity}`, '', PRIVATE_NOTE, ...url, '', '-- ', `Sitrep, for the notification channel “${message.channel}”.`, ''].join('\n') };
  }
  const { incident } = message;
  const lines = [headline(message), '', ...facts(incident).map((fact) => `${`${fact.title}:`.padEnd(10)}${fact.value}`)];
  for (const line of details(message)) lines.push('', `${line.label}:`, line.text);
  lines.push('', `Open ${incident.key}: ${incident.url}`, '', '-- ', `Sitrep, for the notification channel “${message.channel}”.`, '');
  return { subject, body: lines.join('\n') };
}

/** The stored form: JSON for webhook kinds, plain text for e-mail; the subject for every kind. */
export function renderNotification(kind: ChannelKind, message: Message): Rendered {
  switch (kind) {
    case 'slack':
      return { subject: subjectLine(message), body: JSON.stringify(renderSlack(message)) };
    case 'teams':
      return { subject: subjectLine(message), body: JSON.stringify(renderTeams(message)) };
    case 'webhook':
      return { subject: subjectLine(message), body: JSON.stringify(renderWebhook(message)) };
    case 'email':
      return renderEmail(message);
  }
}
