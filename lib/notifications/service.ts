// Notification channels (Slack, Teams, generic webhooks, e-mail) and the notifications sent
// through them. notify() runs inside the transaction of the change it announces: the
// notifications and their queue jobs commit with that change or not at all. delivery.ts says how
// platform/delivery's worker runner sends one and records each attempt, with its timeline event
// and the next job, in one transaction.
import 'server-only';
import { randomUUID } from 'node:crypto';
import { recordAudit } from '@/lib/audit/service';
import { encryptSecret } from '@/lib/platform/crypto';
import { db, type Tx } from '@/lib/platform/db';
import { env } from '@/lib/platform/env';
import { ConflictError, NotFoundError, parseInput, PreconditionFailedError, ValidationError } from '@/lib/platform/errors';
import type { Prisma } from '@/lib/generated/prisma/client';
import { incidentKey } from '@/lib/incidents/schema';
import { toChannelDto, toNotificationDto, notificationInclude } from '@/lib/notifications/dto';
import { enqueueNotification } from '@/lib/notifications/delivery';
import { privateIncidentEvents, renderNotification, type IncidentFacts, type Message, type PrivateIncidentMessage } from '@/lib/notifications/render';
import {
  channelInputSchema,
  kindLabels,
  parseEmailList,
  type ChannelDto,
  type ChannelInput,
  type ChannelKind,
  type NotificationDetail,
  type NotificationDto,
  type NotificationEvent,
} from '@/lib/notifications/schema';
import { SMTP_NOT_CONFIGURED, SMTP_SETUP } from '@/lib/platform/delivery/email';
import { checkDestination } from '@/lib/platform/delivery/destination';
import { allowHosts, encryptionKey } from '@/lib/platform/delivery/config';
import { publicUrl } from '@/lib/platform/urls';
import type { ChangedBy } from '@/lib/platform/auth/policy';

export type { NotificationDetail, NotificationEvent } from '@/lib/notifications/schema';

/** The key that seals webhook URLs (they are credentials: whoever has one can post to the channel). */
function targetKey(): Buffer {
  return encryptionKey('notification channel targets');
}

/** "hooks.slack.com/…/x7Qa": enough to recognise a webhook, not enough to post to it. */
function urlHint(url: URL): string {
  const last = url.pathname.split('/').filter(Boolean).at(-1) ?? '';
  return last ? `${url.host}/…/${last.slice(-4)}` : url.host;
}

function emailHint(addresses: string[]): string {
  return addresses.length <= 3 ? addresses.join(', ') : `${addresses.slice(0, 3).join(', ')} +${addresses.length - 3} more`;
}

/** Checks a target for its kind; returns what is stored (sealed) and shown. */
function requireSmtp(): void {
  if (!env.SITREP_SMTP_URL) throw new ValidationError([{ path: 'kind', message: `E-mail channels need an SMTP server: ${SMTP_SETUP}` }]);
}

async function checkTarget(kind: ChannelKind, target: string): Promise<{ plain: string; hint: string }> {
  if (kind === 'email') {
    requireSmtp();
    const list = parseEmailList(target);
    if (!list.ok) throw new ValidationError([{ path: 'target', message: list.message }]);
    return { plain: list.addresses.join(', '), hint: emailHint(list.addresses) };
  }
  const check = await checkDestination(target, { allowHosts: allowHosts() });
  if (!check.ok) throw new ValidationError([{ path: 'target', message: check.reason }]);
  return { plain: target, hint: urlHint(check.url) };
}

async function checkSeverities(tx: Tx, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  const known = (await tx.severity.findMany({ orderBy: { level: 'asc' }, select: { key: true } })).map((s) => s.key);
  const unknown = keys.filter((key) => !known.includes(key));
  if (unknown.length) {
    throw new ValidationError([{ path: 'severities', message: `${unknown.join(', ')} ${unknown.length === 1 ? 'is not a severity' : 'are not severities'}; use ${known.join(', ')} (or none for every severity)` }]);
  }
}

function nameTaken(name: string): ConflictError {
  return new ConflictError(`A notification channel named “${name}” already exists; pick another name.`);
}

export async function createChannel(input: ChannelInput, by: ChangedBy): Promise<ChannelDto> {
  const data = parseInput(channelInputSchema, input);
  if (!data.target) throw new ValidationError([{ path: 'target', message: data.kind === 'email' ? 'Give at least one e-mail address, e.g. oncall@example.com' : 'Give the incoming-webhook URL Sitrep should post to' }]);
  const target = await checkTarget(data.kind, data.target);
  const key = targetKey();
  return db.$transaction(async (tx) => {
    await checkSeverities(tx, data.severities);
    if (await tx.notificationChannel.findUnique({ where: { name: data.name }, select: { id: true } })) throw nameTaken(data.name);
    const channel = await tx.notificationChannel.create({
      data: { name: data.name, kind: data.kind, targetEncrypted: encryptSecret(target.plain, key), targetHint: target.hint, events: data.events, severities: data.severities },
    });
    await recordAudit(tx, {
      actorId: by.actor?.id ?? null,
      action: 'notification_channel.created',
      targetType: 'notification_channel',
      targetId: channel.id,
      detail: { name: channel.name, kind: channel.kind, target: channel.targetHint, events: channel.events, severities: channel.severities },
      requestId: by.requestId,
    });
    return toChannelDto(channel);
  });
}

/**
 * Saves an edited channel. A target left out (or empty) keeps the stored one, unless the kind
 * changes. `ifVersion` refuses a save over someone else's newer edit.
 */
export async function updateChannel(id: string, input: ChannelInput, options: { ifVersion?: number }, by: ChangedBy): Promise<ChannelDto> {
  const data = parseInput(channelInputSchema, input);
  const current = await db.notificationChannel.findUnique({ where: { id } });
  if (!current) throw new NotFoundError('That notification channel does not exist.');
  if (!data.target && data.kind !== current.kind) {
    throw new ValidationError([{ path: 'target', message: data.kind === 'email' ? 'Give the e-mail addresses for this channel, now that it sends e-mail' : `Give the ${kindLabels[data.kind]} webhook URL for this channel, now that its kind changed` }]);
  }
  if (data.kind === 'email') requireSmtp();
  const target = data.target ? await checkTarget(data.kind, data.target) : null;
  const key = target ? targetKey() : null;
  return db.$transaction(async (tx) => {
    const [locked] = await tx.$queryRaw<{ version: number }[]>`SELECT version FROM notification_channels WHERE id = ${id}::uuid FOR UPDATE`;
    if (!locked) throw new NotFoundError('That notification channel does not exist.');
    if (options.ifVersion !== undefined && options.ifVersion !== locked.version) {
      throw new PreconditionFailedError(`Someone saved this channel (now version ${locked.version}) while you were editing version ${options.ifVersion}. Reload it and apply your changes again.`);
    }
    const before = await tx.notificationChannel.findUniqueOrThrow({ where: { id } });
    if (!target && data.kind !== before.kind) throw new ValidationError([{ path: 'target', message: 'The channel’s kind changed while you were editing; give its target again' }]);
    await checkSeverities(tx, data.severities);
    if (await tx.notificationChannel.findFirst({ where: { name: data.name, id: { not: id } }, select: { id: true } })) throw nameTaken(data.name);
    const channel = await tx.notificationChannel.update({
      where: { id },
      data: {
        name: data.name,
        kind: data.kind,
        ...(target && key ? { targetEncrypted: encryptSecret(target.plain, key), targetHint: target.hint } : {}),
        events: data.events,
        severities: data.severities,
        version: { increment: 1 },
      },
    });
    const changed = [
      ...(before.name !== channel.name ? ['name'] : []),
      ...(before.kind !== channel.kind ? ['kind'] : []),
      ...(target ? ['target'] : []),
      ...(before.events.join() !== channel.events.join() ? ['events'] : []),
      ...(before.severities.join() !== channel.severities.join() ? ['severities'] : []),
    ];
    await recordAudit(tx, { actorId: by.actor?.id ?? null, action: 'notification_channel.updated', targetType: 'notification_channel', targetId: id, detail: { name: channel.name, changed }, requestId: by.requestId });
    return toChannelDto(channel);
  });
}

/** Enables a channel (e.g. one its receiver disabled with 410 Gone) or disables it by hand. */
export async function setChannelEnabled(id: string, enabled: boolean, by: ChangedBy): Promise<ChannelDto> {
  return db.$transaction(async (tx) => {
    const current = await tx.notificationChannel.findUnique({ where: { id } });
    if (!current) throw new NotFoundError('That notification channel does not exist.');
    if (Boolean(current.disabledAt) === !enabled) return toChannelDto(current);
    const channel = await tx.notificationChannel.update({
      where: { id },
      data: enabled ? { disabledAt: null, disabledReason: null, version: { increment: 1 } } : { disabledAt: new Date(), disabledReason: `Disabled by ${by.actor?.name ?? 'Sitrep'}`, version: { increment: 1 } },
    });
    await recordAudit(tx, {
      actorId: by.actor?.id ?? null,
      action: enabled ? 'notification_channel.enabled' : 'notification_channel.disabled',
      targetType: 'notification_channel',
      targetId: id,
      detail: { name: channel.name },
      requestId: by.requestId,
    });
    return toChannelDto(channel);
  });
}

/** "Send test": a real message to the channel, through the queue like any other; audited. */
export async function sendTestNotification(id: string, by: ChangedBy): Promise<NotificationDto> {
  const notificationId = await db.$transaction(async (tx) => {
    const channel = await tx.notificationChannel.findUnique({ where: { id } });
    if (!channel) throw new NotFoundError('That notification channel does not exist.');
    if (channel.disabledAt) throw new ConflictError(`“${channel.name}” is disabled (${channel.disabledReason ?? 'by an admin'}); enable it before sending a test.`);
    if (channel.kind === 'email' && !env.SITREP_SMTP_URL) throw new ConflictError(`${SMTP_NOT_CONFIGURED}.`);
    const notificationId = randomUUID();
    const rendered = renderNotification(channel.kind, { id: notificationId, event: 'test', channel: channel.name, occurredAt: new Date().toISOString(), settingsUrl: publicUrl('/settings/notifications') });
    await tx.notification.create({ data: { id: notificationId, channelId: channel.id, incidentId: null, event: 'test', subject: rendered.subject, body: rendered.body } });
    await enqueueNotification(tx, { notificationId, attempt: 1 });
    await recordAudit(tx, { actorId: by.actor?.id ?? null, action: 'notification_channel.tested', targetType: 'notification_channel', targetId: id, detail: { name: channel.name, notificationId }, requestId: by.requestId });
    return notificationId;
  });
  return toNotificationDto(await db.notification.findUniqueOrThrow({ where: { id: notificationId }, include: notificationInclude }));
}

/**
 * Announces `event` on every enabled channel whose events include it and whose severities are
 * empty or include the incident's (current) severity: one rendered notification per channel and
 * one queue job each, INSIDE the caller's transaction, so nothing goes out unless the change
 * commits. Returns how many notifications were created.
 */
export async function notify(tx: Prisma.TransactionClient, incidentId: string, event: NotificationEvent, detail: NotificationDetail): Promise<number> {
  // Most changes match no channel: one query and done.
  const channels = await tx.notificationChannel.findMany({ where: { disabledAt: null, events: { has: event } }, orderBy: { name: 'asc' } });
  if (channels.length === 0) return 0;
  const incident = await tx.incident.findUnique({ where: { id: incidentId }, select: { number: true, title: true, summary: true, severityKey: true, status: true, services: true, private: true } });
  if (!incident) throw new NotFoundError('That incident does not exist.');
  // Channels are shared places: a private incident is announced without a word of what it is, and only when it begins, worsens or ends.
  if (incident.private && !(privateIncidentEvents as readonly string[]).includes(event)) return 0;
  const matching = channels.filter((channel) => channel.severities.length === 0 || channel.severities.includes(incident.severityKey));
  if (matching.length === 0) return 0;
  const facts: IncidentFacts = {
    number: incident.number,
    key: incidentKey(incident.number),
    title: incident.title,
    summary: incident.summary,
    severity: incident.severityKey,
    status: incident.status,
    services: incident.services,
    url: publicUrl(`/incidents/${incident.number}`),
  };
  const occurredAt = new Date().toISOString();
  const rows = matching.map((channel) => {
    const id = randomUUID();
    const message: Message = incident.private
      ? { id, event: event as PrivateIncidentMessage['event'], private: true, severity: incident.severityKey, previousSeverity: detail.previousSeverity, occurredAt, channel: channel.name, sitrepUrl: publicUrl('/') }
      : { id, event, incident: facts, detail, occurredAt, channel: channel.name };
    const rendered = renderNotification(channel.kind, message);
    return { id, channelId: channel.id, incidentId, event, subject: rendered.subject, body: rendered.body };
  });
  await tx.notification.createMany({ data: rows });
  for (const row of rows) await enqueueNotification(tx, { notificationId: row.id, attempt: 1 });
  return rows.length;
}
