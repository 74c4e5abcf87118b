// What a page says to the person it reaches, per contact method: e-mail, ntfy push, Slack /
// Microsoft Teams / Mattermost incoming webhooks, and the Standard Webhooks `page.triggered` body
// (API.md). Pure functions: a notification is rendered once, when its level is notified, and
// stored as it was sent. Every message carries the acknowledge link; a GET of it only shows a
// confirmation page, so the links below are safe to open, preview or scan. Only ntfy's `http`
// action POSTs to it, because pressing that button is the person acknowledging.
import { escapeSlack } from '@/lib/notifications/render';
import type { ContactKind } from '@/lib/oncall/schema';

export type PageNotice = {
  page: {
    id: string;
    title: string;
    details?: string | null;
    /** 1-based: the level of the escalation policy that notified this person. */
    level: number;
    incident: { number: number; key: string } | null;
  };
  user: { email: string; name?: string };
  /** `<SITREP_URL>/ack/<token>`; relative when SITREP_URL is unset, and then no button links to it. */
  ackUrl: string;
  /** The page in Sitrep (signed in), when there is an absolute URL for it. */
  pageUrl?: string;
  /** Who or what paged: a person's name, an alert source. */
  pagedBy?: string | null;
};

/** "Send test" from the profile page. */
export type ContactTest = { user: { email: string; name?: string }; settingsUrl: string };

export type RenderedNotice = {
  subject: string;
  /** Plain text for e-mail and ntfy; JSON for the webhook kinds. */
  body: string;
  /** Headers the request carries besides its content type (ntfy's Title, Priority, Tags, Actions). */
  headers: Record<string, string>;
};

const DETAILS_LIMIT = 1_500;

function isAbsolute(url: string | undefined): url is string {
  return !!url && /^https?:\/\//i.test(url);
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function truncate(text: string, limit: number): string {
  return text.length > limit ? `${text.slice(0, limit - 1).trimEnd()}…` : text;
}

/** "INC-42 Checkout down", or the title alone for a page without an incident. */
function headline(notice: PageNotice): string {
  const title = oneLine(notice.page.title);
  return notice.page.incident ? `${notice.page.incident.key} ${title}` : title;
}

/** "[Page] INC-42 Checkout down"; "[Page, level 2] …" once it has escalated. */
export function pageSubject(notice: PageNotice): string {
  return `[Page${notice.page.level > 1 ? `, level ${notice.page.level}` : ''}] ${headline(notice)}`;
}

function details(notice: PageNotice): string | null {
  const text = notice.page.details?.trim();
  return text ? truncate(text, DETAILS_LIMIT) : null;
}

function whyYou(notice: PageNotice): string {
  const level = notice.page.level > 1 ? ` Nobody acknowledged earlier levels; this is level ${notice.page.level}.` : '';
  return `You are paged${notice.pagedBy ? ` by ${oneLine(notice.pagedBy)}` : ''}.${level}`;
}

// ---- E-mail ----

export function renderPageEmail(notice: PageNotice): { subject: string; text: string } {
  const lines = [headline(notice), '', whyYou(notice)];
  const more = details(notice);
  if (more) lines.push('', more);
  lines.push('', `Acknowledge: ${notice.ackUrl}`, '(Opening the link shows an Acknowledge button; nothing happens until you press it.)');
  if (isAbsolute(notice.pageUrl)) lines.push('', `The page in Sitrep: ${notice.pageUrl}`);
  lines.push('', '-- ', `Sitrep, to ${notice.user.email}. Acknowledging stops the escalation to the next level.`, '');
  return { subject: pageSubject(notice), text: lines.join('\n') };
}

// ---- ntfy (https://docs.ntfy.sh/publish/) ----

/**
 * A header value as ntfy reads it: printable ASCII as it is, anything else as RFC 2047 encoded
 * words (ntfy decodes them; Node refuses to send most non-Latin-1 header text).
 */
export function ntfyHeaderValue(text: string): string {
  const flat = oneLine(text);
  if (/^[\x20-\x7e]*$/.test(flat)) return flat;
  // Encoded words are at most 75 characters: 45 bytes of UTF-8 (never a split character) each.
  const words: string[] = [];
  let chunk = '';
  for (const character of flat) {
    if (Buffer.byteLength(chunk + character) > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += character;
  }
  if (chunk) words.push(chunk);
  return words.map((word) => `=?UTF-8?B?${Buffer.from(word, 'utf8').toString('base64')}?=`).join(' ');
}

/** A value in ntfy's short action format, quoted when it holds a separator. */
function actionValue(text: string): string {
  return /[,;"']/.test(text) ? `"${text.replace(/"/g, "'")}"` : text;
}

/**
 * ntfy's publish-by-headers form, POSTed to the contact method's topic URL: Title, Priority 5
 * (max: it breaks through Do Not Disturb where the phone allows), Tags (rotating_light shows 🚨),
 * Click opens the acknowledge page, and an `http` action button that POSTs to the acknowledge
 * link and clears the notification once that succeeded.
 */
export function renderPageNtfy(notice: PageNotice): { headers: Record<string, string>; body: string } {
  const headers: Record<string, string> = {
    Title: ntfyHeaderValue(notice.page.level > 1 ? `Level ${notice.page.level}: ${headline(notice)}` : headline(notice)),
    Priority: '5',
    Tags: ['rotating_light', ...(notice.page.incident ? [notice.page.incident.key.toLowerCase()] : []), ...(notice.page.level > 1 ? [`level-${notice.page.level}`] : [])].join(','),
  };
  if (isAbsolute(notice.ackUrl)) {
    headers.Click = notice.ackUrl;
    headers.Actions = `http, Acknowledge, ${actionValue(notice.ackUrl)}, method=POST, clear=true`;
  }
  const lines = [whyYou(notice)];
  const more = details(notice);
  if (more) lines.push('', more);
  if (!isAbsolute(notice.ackUrl)) lines.push('', `Acknowledge: ${notice.ackUrl}`);
  return { headers, body: lines.join('\n') };
}

// ---- Slack (incoming webhook, mrkdwn) ----

function slackLink(url: string, label: string): string {
  return `<${escapeSlack(url)}|${escapeSlack(label)}>`;
}

export function renderPageSlack(notice: PageNotice): object {
  const title = isAbsolute(notice.pageUrl) ? slackLink(notice.pageUrl, headline(notice)) : escapeSlack(headline(notice));
  const blocks: object[] = [
    { type: 'section', text: { type: 'mrkdwn', text: `:rotating_light: *Page${notice.page.level > 1 ? ` (level ${notice.page.level})` : ''}*: ${title}` } },
    { type: 'section', text: { type: 'mrkdwn', text: escapeSlack(whyYou(notice)) } },
  ];
  const more = details(notice);
  if (more) {
    const quoted = escapeSlack(more)
      .split('\n')
      .map((line) => `>${line}`)
      .join('\n');
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: quoted } });
  }
  blocks.push({
    type: 'section',
    text: { type: 'mrkdwn', text: isAbsolute(notice.ackUrl) ? `*${slackLink(notice.ackUrl, 'Acknowledge')}* (opens a page with the button)` : `Acknowledge: ${escapeSlack(notice.ackUrl)}` },
  });
  return { text: escapeSlack(pageSubject(notice)), blocks };
}

// ---- Microsoft Teams (incoming webhook / Workflows, Adaptive Card) ----

function adaptiveCard(body: object[], actions: object[]): object {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: { $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', type: 'AdaptiveCard', version: '1.4', msteams: { width: 'Full' }, body, actions },
      },
    ],
  };
}

export function renderPageTeams(notice: PageNotice): object {
  const body: object[] = [
    { type: 'TextBlock', text: `Page${notice.page.level > 1 ? ` (level ${notice.page.level})` : ''}: ${headline(notice)}`, weight: 'Bolder', size: 'Medium', color: 'Attention', wrap: true },
    { type: 'TextBlock', text: whyYou(notice), wrap: true },
  ];
  const more = details(notice);
  if (more) body.push({ type: 'TextBlock', text: more, wrap: true });
  if (!isAbsolute(notice.ackUrl)) body.push({ type: 'TextBlock', text: `Acknowledge: ${notice.ackUrl}`, wrap: true });
  // Teams refuses a card whose OpenUrl is not absolute.
  const actions: object[] = [];
  if (isAbsolute(notice.ackUrl)) actions.push({ type: 'Action.OpenUrl', title: 'Acknowledge', url: notice.ackUrl, style: 'positive' });
  if (isAbsolute(notice.pageUrl)) actions.push({ type: 'Action.OpenUrl', title: 'Open in Sitrep', url: notice.pageUrl });
  return adaptiveCard(body, actions);
}

// ---- Mattermost (incoming webhook, Markdown) ----

/** Markdown's punctuation escaped, so a title cannot turn into links, mentions or headings. */
export function escapeMattermost(text: string): string {
  return text.replace(/([\\`*_~[\]()<>#|!@])/g, '\\$1');
}

export function renderPageMattermost(notice: PageNotice): object {
  const title = escapeMattermost(headline(notice));
  const lines = [escapeMattermost(whyYou(notice))];
  const more = details(notice);
  if (more) lines.push('', ...escapeMattermost(more).split('\n').map((line) => `> ${line}`));
  lines.push('', isAbsolute(notice.ackUrl) ? `**[Acknowledge](${notice.ackUrl})** (opens a page with the button)` : `Acknowledge: ${escapeMattermost(notice.ackUrl)}`);
  return {
    text: `:rotating_light: **Page${notice.page.level > 1 ? ` (level ${notice.page.level})` : ''}**: ${isAbsolute(notice.pageUrl) ? `[${title}](${notice.pageUrl})` : title}`,
    attachments: [{ fallback: pageSubject(notice), color: '#d32f2f', text: lines.join('\n') }],
  };
}

// ---- Generic webhook (Standard Webhooks; signed by the sender) ----

/** Exactly API.md's body; the webhook-id header is the notification's id. */
export function renderPageWebhook(notice: PageNotice): object {
  return {
    type: 'page.triggered',
    page: { id: notice.page.id, title: notice.page.title, level: notice.page.level, incident: notice.page.incident ? { number: notice.page.incident.number, key: notice.page.incident.key } : null },
    user: { email: notice.user.email },
    ackUrl: notice.ackUrl,
  };
}

/** The stored form of a page notification for a contact method's kind. */
export function renderPageNotice(kind: ContactKind, notice: PageNotice): RenderedNotice {
  const subject = pageSubject(notice);
  switch (kind) {
    case 'email':
      return { subject, body: renderPageEmail(notice).text, headers: {} };
    case 'ntfy': {
      const ntfy = renderPageNtfy(notice);
      return { subject, body: ntfy.body, headers: ntfy.headers };
    }
    case 'slack':
      return { subject, body: JSON.stringify(renderPageSlack(notice)), headers: {} };
    case 'teams':
      return { subject, body: JSON.stringify(renderPageTeams(notice)), headers: {} };
    case 'mattermost':
      return { subject, body: JSON.stringify(renderPageMattermost(notice)), headers: {} };
    case 'webhook':
      return { subject, body: JSON.stringify(renderPageWebhook(notice)), headers: {} };
  }
}

// ---- "Send test" ----

const TEST_TEXT = 'This is a test from Sitrep. If you can read it, pages will reach you this way.';

/** A test message for a contact method, per kind; ntfy's at default priority, since nothing is on fire. */
export function renderContactTest(kind: ContactKind, test: ContactTest): RenderedNotice {
  const subject = '[Sitrep] Test of your contact method';
  const settings = isAbsolute(test.settingsUrl) ? test.settingsUrl : null;
  switch (kind) {
    case 'email':
      return { subject, body: `${TEST_TEXT}\n\nYour contact methods: ${test.settingsUrl}\n\n-- \nSitrep, to ${test.user.email}.\n`, headers: {} };
    case 'ntfy':
      return { subject, body: TEST_TEXT, headers: { Title: 'Sitrep test', Priority: '3', Tags: 'white_check_mark', ...(settings ? { Click: settings } : {}) } };
    case 'slack':
      return { subject, body: JSON.stringify({ text: escapeSlack(TEST_TEXT) }), headers: {} };
    case 'teams':
      return {
        subject,
        body: JSON.stringify(adaptiveCard([{ type: 'TextBlock', text: TEST_TEXT, wrap: true }], settings ? [{ type: 'Action.OpenUrl', title: 'Your contact methods', url: settings }] : [])),
        headers: {},
      };
    case 'mattermost':
      return { subject, body: JSON.stringify({ text: escapeMattermost(TEST_TEXT) }), headers: {} };
    case 'webhook':
      return { subject, body: JSON.stringify({ type: 'contact_method.test', user: { email: test.user.email }, message: TEST_TEXT }), headers: {} };
  }
}

// ---- Mentions in notes ----

/** A note that names someone (@priya): said through their contact method, calmly (nothing pages). */
export type MentionNotice = {
  incident: { number: number; key: string; title: string };
  user: { email: string };
  author: string;
  /** The note as written (Markdown), shortened for push and chat. */
  note: string;
  /** The incident in Sitrep. */
  url: string;
  /** The e-mail's subject and text, as stored when the note was posted. */
  subject: string;
  text: string;
};

export function renderMentionNotice(kind: ContactKind, notice: MentionNotice): RenderedNotice {
  const subject = notice.subject;
  const headline = `${notice.author} mentioned you on ${notice.incident.key} ${oneLine(notice.incident.title)}`;
  const note = truncate(notice.note.trim(), DETAILS_LIMIT);
  const link = isAbsolute(notice.url) ? notice.url : null;
  switch (kind) {
    case 'email':
      return { subject, body: notice.text, headers: {} };
    case 'ntfy':
      // Default priority: a mention asks for attention, it does not wake anyone.
      return {
        subject,
        body: link ? note : `${note}\n\n${notice.url}`,
        headers: { Title: ntfyHeaderValue(headline), Priority: '3', Tags: ['speech_balloon', notice.incident.key.toLowerCase()].join(','), ...(link ? { Click: link } : {}) },
      };
    case 'slack': {
      const title = link ? slackLink(link, `${notice.incident.key} ${oneLine(notice.incident.title)}`) : escapeSlack(`${notice.incident.key} ${oneLine(notice.incident.title)}`);
      const quoted = escapeSlack(note)
        .split('\n')
        .map((line) => `>${line}`)
        .join('\n');
      return { subject, body: JSON.stringify({ text: escapeSlack(headline), blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `:speech_balloon: ${escapeSlack(notice.author)} mentioned you on ${title}` } }, { type: 'section', text: { type: 'mrkdwn', text: quoted } }] }), headers: {} };
    }
    case 'teams':
      return {
        subject,
        body: JSON.stringify(adaptiveCard([{ type: 'TextBlock', text: headline, weight: 'Bolder', wrap: true }, { type: 'TextBlock', text: note, wrap: true }], link ? [{ type: 'Action.OpenUrl', title: 'Open the incident', url: link }] : [])),
        headers: {},
      };
    case 'mattermost':
      return { subject, body: JSON.stringify({ text: `${escapeMattermost(headline)}\n\n${note.split('\n').map((line) => `> ${escapeMattermost(line)}`).join('\n')}${link ? `\n\n${link}` : ''}` }), headers: {} };
    case 'webhook':
      return {
        subject,
        body: JSON.stringify({ type: 'note.mentioned', incident: notice.incident, user: { email: notice.user.email }, by: notice.author, note: notice.note, url: notice.url }),
        headers: {},
      };
  }
}
